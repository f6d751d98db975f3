/**
 * GET /api/bots/{id}/events[?type=]: the bot's append-only events (commands, config versions,
 * decisions with the strategy's reason, risk denials, orders, fills, …), newest first, paged.
 * `?type=config-version` is the config history: version, changed fields, who and when.
 */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { botEventsQuerySchema, botIdParams } from '../shared/schemas/bots-schemas.js';
import { toBotEventView } from '../shared/schemas/bots-views.js';
import { botServices, findBotDocument } from './bots-support.js';
import * as runtime from './runtime.js';

app.http(
  'bots-events',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'bots/{id}/events',
    auth: { allow: 'principal-or-token', scope: 'read' },
    params: botIdParams,
    query: botEventsQuerySchema,
    handle: async ({ auth, params, query }) => {
      const { records } = await botServices();
      const bot = await findBotDocument(records, auth.tenantId, params.id);
      if (!bot.ok) return bot;
      const page = await records.listEvents(auth.tenantId, params.id, { limit: query.limit, continuation: query.continuation }, query.type ? [query.type] : undefined);
      if (!page.ok) return page;
      return ok(reply.ok({ items: page.value.items.map((s) => toBotEventView(s.record)), continuationToken: page.value.continuationToken }));
    },
  }),
);
