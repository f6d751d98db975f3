/**
 * PATCH /api/bots/{id} with If-Match: a new config version. Strategy, sizing and capital may change in
 * draft, paused and stopped (market and connection in draft and stopped); a running or halted bot
 * accepts only tighter risk limits. Anything else answers 409 `BOT.CONFIG_LOCKED` (or
 * `BOT.INVALID_TRANSITION` in stopping/faulted), with the current state. Each accepted change is a
 * `config-version` event naming who changed which fields.
 */
import { app } from '@azure/functions';
import { diffConfig, parseBotConfig } from '../shared/bots/bot-config.js';
import { appError, err, ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { applyBotPatch, botIdParams, patchBotBodySchema } from '../shared/schemas/bots-schemas.js';
import { botEtag, botViewFromEntity } from '../shared/schemas/bots-views.js';
import { entityPortFor, withDurableClient } from './bots-durable.js';
import { actorOf, botNotFound, botServices, checkBotConnection, checkTransition, connectionModes, sendBotCommand, TenantBotEntities } from './bots-support.js';
import * as runtime from './runtime.js';

app.http(
  'bots-update',
  withDurableClient(
    apiFunction(runtime, {
      methods: ['PATCH'],
      route: 'bots/{id}',
      auth: { allow: 'principal-or-token', scope: 'trade' },
      params: botIdParams,
      body: patchBotBodySchema,
      handle: async ({ auth, params, body, request, services, nowMs, log }) => {
        const ifMatch = request.headers.get('if-match');
        if (!ifMatch) return err(appError('PRECONDITION_REQUIRED', 'Send the ETag you read as If-Match, so a concurrent change is not overwritten.'));
        const entities = new TenantBotEntities(entityPortFor(request), auth.tenantId);
        const state = await entities.read(params.id);
        if (!state) return botNotFound();
        const current = state.machine;
        if (ifMatch !== botEtag(current.configVersion)) {
          return err(appError('CONFLICT', 'The bot\'s config changed since you read it (ETag mismatch). Read it again and retry.', { reason: 'etag-mismatch', state: current.status }));
        }
        const valid = checkTransition(state, 'updateConfig');
        if (!valid.ok) return valid;
        const config = parseBotConfig(applyBotPatch(current.config, body));
        if (!config.ok) return config;
        const changes = diffConfig(current.config, config.value);
        const modes = await connectionModes(services.connections, auth.tenantId, [config.value.connectionId]);
        if (changes.length === 0) {
          const view = botViewFromEntity(state, modes.get(config.value.connectionId) ?? null);
          return ok(reply.ok(view, { etag: view.etag }));
        }
        if (changes.includes('connectionId') || changes.some((c) => c.startsWith('market.'))) {
          const connection = await checkBotConnection(services.connections, auth.tenantId, config.value);
          if (!connection.ok) return connection;
        }
        const actor = actorOf(auth);
        const { records } = await botServices();
        const sent = await sendBotCommand({
          entities, records, botId: params.id, state, command: { type: 'updateConfig', config: config.value, expectedConfigVersion: current.configVersion, actor, atMs: nowMs },
          operation: 'updateConfig',
          input: { config: config.value, expectedConfigVersion: current.configVersion },
        });
        if (!sent.ok) return sent;
        log.info(`bot ${params.id}: config changed by ${actor} (${changes.join(', ')})`);
        const after = sent.value.state ?? state;
        const view = botViewFromEntity(after, modes.get(after.machine.config.connectionId) ?? null);
        return ok(sent.value.applied ? reply.ok(view, { etag: view.etag }) : { status: 202, body: { commandId: sent.value.commandId, applied: false, bot: view } });
      },
    }),
  ),
);
