/** GET /api/bots/{id}/equity: equity snapshots, one per processed bar, newest first, paged. */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { botIdParams } from '../shared/schemas/bots-schemas.js';
import { toBotEquityView } from '../shared/schemas/bots-views.js';
import { listQuerySchema } from '../shared/schemas/paging-schemas.js';
import { botServices, findBotDocument } from './bots-support.js';
import * as runtime from './runtime.js';

app.http(
  'bots-equity',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'bots/{id}/equity',
    auth: { allow: 'principal-or-token', scope: 'read' },
    params: botIdParams,
    query: listQuerySchema,
    handle: async ({ auth, params, query }) => {
      const { records } = await botServices();
      const bot = await findBotDocument(records, auth.tenantId, params.id);
      if (!bot.ok) return bot;
      const page = await records.listEquity(auth.tenantId, params.id, query);
      if (!page.ok) return page;
      return ok(reply.ok({ items: page.value.items.map((s) => toBotEquityView(s.record)), continuationToken: page.value.continuationToken }));
    },
  }),
);
