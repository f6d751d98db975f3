/**
 * GET /api/bots/{id}/signals?outcome=&limit=&continuation=: the bot's signal log, newest first —
 * every request to its hook with source address, receive time, latency, outcome and reason.
 */
import { app } from '@azure/functions';
import { appError, err, ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { hookBotParams } from '../shared/signals/hook-schemas.js';
import { signalListQuerySchema, toSignalView } from '../shared/signals/signal-record.js';
import { hookServices } from './hooks-runtime.js';
import * as runtime from './runtime.js';

app.http(
  'signals-list',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'bots/{id}/signals',
    auth: { allow: 'principal-or-token', scope: 'read' },
    params: hookBotParams,
    query: signalListQuerySchema,
    handle: async ({ auth, params, query }) => {
      const svc = await hookServices();
      if (!(await svc.signals.findBot(auth.tenantId, params.id))) return err(appError('NOT_FOUND', 'No such bot.'));
      const page = await svc.signals.list(auth.tenantId, params.id, query);
      if (!page.ok) return page;
      return ok(reply.ok({ items: page.value.items.map((s) => toSignalView(s.record)), continuationToken: page.value.continuationToken }));
    },
  }),
);
