/** DELETE /api/bots/{id}: only a draft or stopped bot; its events, orders and equity stay for the record. */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { botIdParams } from '../shared/schemas/bots-schemas.js';
import { entityPortFor, withDurableClient } from './bots-durable.js';
import { actorOf, botNotFound, botServices, checkTransition, sendBotCommand, TenantBotEntities } from './bots-support.js';
import * as runtime from './runtime.js';

app.http(
  'bots-delete',
  withDurableClient(
    apiFunction(runtime, {
      methods: ['DELETE'],
      route: 'bots/{id}',
      auth: { allow: 'principal-or-token', scope: 'trade' },
      params: botIdParams,
      handle: async ({ auth, params, request, nowMs, log }) => {
        const entities = new TenantBotEntities(entityPortFor(request), auth.tenantId);
        const state = await entities.read(params.id);
        if (!state) return botNotFound();
        const valid = checkTransition(state, 'delete');
        if (!valid.ok) return valid;
        const actor = actorOf(auth);
        const { records } = await botServices();
        const sent = await sendBotCommand({ entities, records, botId: params.id, state, command: { type: 'delete', actor, atMs: nowMs }, operation: 'delete', input: {} });
        if (!sent.ok) return sent;
        log.info(`bot ${params.id} deleted by ${actor}`);
        return ok(sent.value.applied && sent.value.state === undefined ? reply.noContent() : { status: 202, body: { commandId: sent.value.commandId, applied: false } });
      },
    }),
  ),
);
