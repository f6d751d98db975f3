/** GET /api/bots/{id}/orders: the bot's orders by client order id `{botId}-{seq}`, newest first, paged. */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { botIdParams } from '../shared/schemas/bots-schemas.js';
import { toBotOrderView } from '../shared/schemas/bots-views.js';
import { listQuerySchema } from '../shared/schemas/paging-schemas.js';
import { botServices, findBotDocument } from './bots-support.js';
import * as runtime from './runtime.js';

app.http(
  'bots-orders',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'bots/{id}/orders',
    auth: { allow: 'principal-or-token', scope: 'read' },
    params: botIdParams,
    query: listQuerySchema,
    handle: async ({ auth, params, query }) => {
      const { records } = await botServices();
      const bot = await findBotDocument(records, auth.tenantId, params.id);
      if (!bot.ok) return bot;
      const page = await records.listOrders(auth.tenantId, params.id, query);
      if (!page.ok) return page;
      return ok(reply.ok({ items: page.value.items.map((s) => toBotOrderView(s.record)), continuationToken: page.value.continuationToken }));
    },
  }),
);
