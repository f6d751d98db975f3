/**
 * POST /api/bots/{id}/hook: enables the bot's webhook. Answers the hook URL, the passphrase and the
 * HMAC signing key — shown only here (and on rotation) — with ready TradingView alert templates.
 * Principal only: it creates credentials. 409 when the bot already has a hook (rotate it instead).
 */
import { app } from '@azure/functions';
import { appError, err, ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import {
  applySettings,
  bindingDocumentId,
  DEFAULT_HOOK_SETTINGS,
  hookSettingsInputSchema,
  type HookBindingRecord,
} from '../shared/signals/hook-records.js';
import { hookBotParams } from '../shared/signals/hook-schemas.js';
import { hookCredentialsAnswer, hookServices, issueHookCredentials } from './hooks-runtime.js';
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
      const { credentials, secretName, passphraseHash } = await issueHookCredentials(svc, auth.tenantId, log);
      const binding: HookBindingRecord = {
        kind: 'binding', id: bindingDocumentId(params.id), tenantId: auth.tenantId, botId: params.id, hookId: credentials.hookId, revision: 1,
        passphraseHash, signingKeySecret: secretName, settings: applySettings(DEFAULT_HOOK_SETTINGS, body),
        createdAtMs: nowMs, rotatedAtMs: null, updatedAtMs: nowMs,
      };
      const created = await svc.hooks.create(binding, { kind: 'hook', id: credentials.hookId, tenantId: auth.tenantId, botId: params.id, createdAtMs: nowMs });
      if (!created.ok) {
        await svc.secrets.delete(secretName);
        return created;
      }
      svc.signingKeys.put(secretName, credentials.signingKey);
      log.info(`webhook enabled for bot ${params.id} (revision 1)`);
      const answer = hookCredentialsAnswer(created.value, request, credentials, bot.symbol);
      return ok(reply.created(answer.body, { etag: answer.etag }));
    },
  }),
);
