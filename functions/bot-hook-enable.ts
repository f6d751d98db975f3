/**
 * POST /api/bots/{id}/hook: enables the bot's webhook. Answers the hook URL, the passphrase and the
 * HMAC signing key — shown only here (and on rotation) — with ready TradingView alert templates.
 * Principal only: it creates credentials. 409 when the bot already has a hook (rotate it instead).
 */
import { randomBytes } from 'node:crypto';
import { app } from '@azure/functions';
import { appError, err, ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { alertTemplates } from '../shared/signals/alert-templates.js';
import {
  applySettings,
  bindingDocumentId,
  DEFAULT_HOOK_SETTINGS,
  hookSettingsInputSchema,
  newHookCredentials,
  signingKeySecretName,
  toHookView,
  type HookBindingRecord,
} from '../shared/signals/hook-records.js';
import { hookBotParams } from '../shared/signals/hook-schemas.js';
import { sha256Hex } from '../shared/signals/signal-auth.js';
import { hookServices, publicOrigin } from './hooks-runtime.js';
import * as runtime from './runtime.js';

app.http(
  'bot-hook-enable',
  apiFunction(runtime, {
    methods: ['POST'],
    route: 'bots/{id}/hook',
    auth: { allow: 'principal', scope: 'trade' },
    params: hookBotParams,
    body: hookSettingsInputSchema.optional(),
    handle: async ({ auth, params, body, request, log, nowMs }) => {
      const svc = await hookServices();
      const bot = await svc.signals.findBot(auth.tenantId, params.id);
      if (!bot) return err(appError('NOT_FOUND', 'No such bot.'));
      const credentials = newHookCredentials(auth.tenantId, (n) => randomBytes(n));
      log.keepSecret(credentials.hookId);
      log.keepSecret(credentials.passphrase);
      log.keepSecret(credentials.signingKey);
      const secretName = signingKeySecretName(credentials.hookId);
      await svc.secrets.set(secretName, credentials.signingKey);
      const binding: HookBindingRecord = {
        kind: 'binding', id: bindingDocumentId(params.id), tenantId: auth.tenantId, botId: params.id, hookId: credentials.hookId, revision: 1,
        passphraseHash: sha256Hex(credentials.passphrase), signingKeySecret: secretName, settings: applySettings(DEFAULT_HOOK_SETTINGS, body),
        createdAtMs: nowMs, rotatedAtMs: null, updatedAtMs: nowMs,
      };
      const created = await svc.hooks.create(binding, { kind: 'hook', id: credentials.hookId, tenantId: auth.tenantId, botId: params.id, createdAtMs: nowMs });
      if (!created.ok) {
        await svc.secrets.delete(secretName);
        return created;
      }
      svc.signingKeys.put(secretName, credentials.signingKey);
      log.info(`webhook enabled for bot ${params.id} (revision 1)`);
      const view = toHookView(created.value.record, publicOrigin(request), created.value.etag);
      return ok(
        reply.created(
          { hook: view, credentials: { passphrase: credentials.passphrase, signingKey: credentials.signingKey }, alertTemplates: alertTemplates(credentials.passphrase, bot.symbol) },
          { etag: view.etag },
        ),
      );
    },
  }),
);
