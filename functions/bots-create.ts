/**
 * POST /api/bots: a new bot in `draft`. The config is validated here (including the strategy's params
 * schema) and again by the bot entity; the connection must be one of the tenant's. Answers 201 with
 * the bot once the entity has it (202 with its id if it had not been reached in time).
 */
import { app } from '@azure/functions';
import { parseBotConfig } from '../shared/bots/bot-config.js';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { createBotBodySchema } from '../shared/schemas/bots-schemas.js';
import { botViewFromEntity } from '../shared/schemas/bots-views.js';
import { entityPortFor, withDurableClient } from './bots-durable.js';
import { actorOf, checkBotConnection, newBotId, newCommandId, TenantBotEntities } from './bots-support.js';
import * as runtime from './runtime.js';

app.http(
  'bots-create',
  withDurableClient(
    apiFunction(runtime, {
      methods: ['POST'],
      route: 'bots',
      auth: { allow: 'principal-or-token', scope: 'trade' },
      body: createBotBodySchema,
      handle: async ({ auth, body, request, services, nowMs, log }) => {
        const config = parseBotConfig(body);
        if (!config.ok) return config;
        const connection = await checkBotConnection(services.connections, auth.tenantId, config.value);
        if (!connection.ok) return connection;
        const entities = new TenantBotEntities(entityPortFor(request), auth.tenantId);
        const botId = newBotId();
        const commandId = newCommandId();
        const actor = actorOf(auth);
        await entities.signal(botId, 'create', { commandId, actor, atMs: nowMs, config: config.value });
        const after = await entities.awaitCommand(botId, commandId, { absentMeansApplied: false });
        const location = `/api/bots/${botId}`;
        log.info(`bot ${botId} created by ${actor} (${config.value.strategy.id}, ${config.value.market.exchange}:${config.value.market.symbol}:${config.value.market.timeframe})`);
        if (!after.state) return ok({ status: 202, body: { id: botId, commandId, applied: false }, headers: { location } });
        const view = botViewFromEntity(after.state, connection.value.mode);
        return ok(reply.created(view, { location, etag: view.etag }));
      },
    }),
  ),
);
