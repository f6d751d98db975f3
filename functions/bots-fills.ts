/** GET /api/bots/{id}/fills: the bot's fills (from its `fill` events), newest first, paged. */
import { app } from '@azure/functions';
import { paperFillSchema } from '../shared/bots/execution-messages.js';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { botIdParams } from '../shared/schemas/bots-schemas.js';
import { toBotFillView } from '../shared/schemas/bots-views.js';
import { listQuerySchema } from '../shared/schemas/paging-schemas.js';
import { botServices, findBotDocument } from './bots-support.js';
import * as runtime from './runtime.js';

app.http(
  'bots-fills',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'bots/{id}/fills',
    auth: { allow: 'principal-or-token', scope: 'read' },
    params: botIdParams,
    query: listQuerySchema,
    handle: async ({ auth, params, query, log }) => {
      const { records } = await botServices();
      const bot = await findBotDocument(records, auth.tenantId, params.id);
      if (!bot.ok) return bot;
      const page = await records.listEvents(auth.tenantId, params.id, query, ['fill']);
      if (!page.ok) return page;
      const items = page.value.items.flatMap(({ record }) => {
        const fill = paperFillSchema.safeParse(record.data);
        if (fill.success) return [toBotFillView(fill.data, record.seq)];
        log.error(`bot ${params.id}: fill event ${record.id} does not hold a fill`);
        return [];
      });
      return ok(reply.ok({ items, continuationToken: page.value.continuationToken }));
    },
  }),
);
