/** GET /api/bots/{id}/hook: the bot's webhook (URL, settings, revision) without its passphrase or key. */
import { app } from '@azure/functions';
import { appError, err, ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { toHookView } from '../shared/signals/hook-records.js';
import { hookBotParams } from '../shared/signals/hook-schemas.js';
import { hookServices, publicOrigin } from './hooks-runtime.js';
import * as runtime from './runtime.js';

app.http(
  'bot-hook-get',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'bots/{id}/hook',
    auth: { allow: 'principal-or-token', scope: 'read' },
    params: hookBotParams,
    handle: async ({ auth, params, request }) => {
      const svc = await hookServices();
      const current = await svc.hooks.findBinding(auth.tenantId, params.id);
      if (!current || !(await svc.signals.findBot(auth.tenantId, params.id))) return err(appError('NOT_FOUND', 'This bot has no webhook.'));
      const view = toHookView(current.record, publicOrigin(request), current.etag);
      return ok(reply.ok(view, { etag: view.etag }));
    },
  }),
);
