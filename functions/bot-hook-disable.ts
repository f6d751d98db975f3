/** DELETE /api/bots/{id}/hook: disables the webhook; its URL answers 404 from now on. Principal only. */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { hookBotParams } from '../shared/signals/hook-schemas.js';
import { hookServices } from './hooks-runtime.js';
import * as runtime from './runtime.js';

app.http(
  'bot-hook-disable',
  apiFunction(runtime, {
    methods: ['DELETE'],
    route: 'bots/{id}/hook',
    auth: { allow: 'principal', scope: 'trade' },
    params: hookBotParams,
    handle: async ({ auth, params, request, log }) => {
      const svc = await hookServices();
      const removed = await svc.hooks.delete(auth.tenantId, params.id, request.headers.get('if-match') ?? undefined);
      if (!removed.ok) return removed;
      svc.signingKeys.forget(removed.value.signingKeySecret);
      svc.limiter.forget(removed.value.hookId);
      await svc.secrets.delete(removed.value.signingKeySecret).catch((e: unknown) => log.warn(`webhook key of bot ${params.id} not deleted: ${e instanceof Error ? e.message : String(e)}`));
      log.info(`webhook of bot ${params.id} disabled`);
      return ok(reply.noContent());
    },
  }),
);
