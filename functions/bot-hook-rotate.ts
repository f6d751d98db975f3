/**
 * POST /api/bots/{id}/hook/rotate: new hook id, passphrase and signing key in one ETag-guarded switch
 * of the hook's binding; the old URL, passphrase and key stop working with this answer. Optional body:
 * settings to change at the same time. Principal only.
 */
import { app } from '@azure/functions';
import { appError, err, ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { applySettings, hookSettingsInputSchema, type HookBindingRecord } from '../shared/signals/hook-records.js';
import { hookBotParams } from '../shared/signals/hook-schemas.js';
import { hookCredentialsAnswer, hookServices, issueHookCredentials } from './hooks-runtime.js';
import * as runtime from './runtime.js';

app.http(
  'bot-hook-rotate',
  apiFunction(runtime, {
    methods: ['POST'],
    route: 'bots/{id}/hook/rotate',
    auth: { allow: 'principal', scope: 'trade' },
    params: hookBotParams,
    body: hookSettingsInputSchema.optional(),
    handle: async ({ auth, params, body, request, log, nowMs }) => {
      const svc = await hookServices();
      const bot = await svc.signals.findBot(auth.tenantId, params.id);
      if (!bot) return err(appError('NOT_FOUND', 'No such bot.'));
      const current = await svc.hooks.findBinding(auth.tenantId, params.id);
      if (!current) return err(appError('NOT_FOUND', 'This bot has no webhook; enable it first.'));
      log.keepSecret(current.record.hookId);
      const { credentials, secretName, passphraseHash } = await issueHookCredentials(svc, auth.tenantId, log);
      const next: HookBindingRecord = {
        ...current.record,
        hookId: credentials.hookId,
        revision: current.record.revision + 1,
        passphraseHash,
        signingKeySecret: secretName,
        settings: applySettings(current.record.settings, body),
        rotatedAtMs: nowMs,
        updatedAtMs: nowMs,
      };
      const replaced = await svc.hooks.replace(next, current.etag, { kind: 'hook', id: credentials.hookId, tenantId: auth.tenantId, botId: params.id, createdAtMs: nowMs });
      if (!replaced.ok) {
        await svc.secrets.delete(secretName);
        return replaced;
      }
      svc.signingKeys.put(secretName, credentials.signingKey);
      // The old id is dead already (its binding names the new one); clean up its documents.
      svc.signingKeys.forget(current.record.signingKeySecret);
      svc.limiter.forget(current.record.hookId);
      await svc.hooks.deleteQuietly(auth.tenantId, current.record.hookId);
      await svc.secrets.delete(current.record.signingKeySecret).catch((e: unknown) => log.warn(`old webhook key of bot ${params.id} not deleted: ${e instanceof Error ? e.message : String(e)}`));
      log.info(`webhook of bot ${params.id} rotated (revision ${next.revision})`);
      const answer = hookCredentialsAnswer(replaced.value, request, credentials, bot.symbol);
      return ok(reply.ok(answer.body, { etag: answer.etag }));
    },
  }),
);
