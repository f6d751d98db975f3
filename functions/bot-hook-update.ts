/** PATCH /api/bots/{id}/hook (If-Match required): change the webhook's settings; credentials stay. Principal only. */
import { app } from '@azure/functions';
import { appError, err, ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { applySettings, hookSettingsInputSchema, toHookView } from '../shared/signals/hook-records.js';
import { hookBotParams } from '../shared/signals/hook-schemas.js';
import { hookServices, publicOrigin } from './hooks-runtime.js';
import * as runtime from './runtime.js';

app.http(
  'bot-hook-update',
  apiFunction(runtime, {
    methods: ['PATCH'],
    route: 'bots/{id}/hook',
    auth: { allow: 'principal', scope: 'trade' },
    params: hookBotParams,
    body: hookSettingsInputSchema.refine((b) => Object.keys(b).length > 0, 'must change at least one setting'),
    handle: async ({ auth, params, body, request, nowMs }) => {
      const ifMatch = request.headers.get('if-match');
      if (!ifMatch) return err(appError('PRECONDITION_REQUIRED', 'Send If-Match with the ETag of the webhook you read.'));
      const svc = await hookServices();
      const current = await svc.hooks.findBinding(auth.tenantId, params.id);
      if (!current || !(await svc.signals.findBot(auth.tenantId, params.id))) return err(appError('NOT_FOUND', 'This bot has no webhook.'));
      if (current.etag !== ifMatch) return err(appError('CONFLICT', 'The webhook changed since you read it (ETag mismatch). Read it again and retry.', { reason: 'etag-mismatch' }));
      const updated = await svc.hooks.replace({ ...current.record, settings: applySettings(current.record.settings, body), updatedAtMs: nowMs }, ifMatch, null);
      if (!updated.ok) return updated;
      const view = toHookView(updated.value.record, publicOrigin(request), updated.value.etag);
      return ok(reply.ok(view, { etag: view.etag }));
    },
  }),
);
