/** GET /api/bots/{id}: the bot as its entity holds it (config, state, running config version, runtime view), with its ETag. */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { botIdParams } from '../shared/schemas/bots-schemas.js';
import { botViewFromEntity } from '../shared/schemas/bots-views.js';
import { entityPortFor, withDurableClient } from './bots-durable.js';
import { botNotFound, connectionModes, TenantBotEntities } from './bots-support.js';
import * as runtime from './runtime.js';

app.http(
  'bots-get',
  withDurableClient(
    apiFunction(runtime, {
      methods: ['GET'],
      route: 'bots/{id}',
      auth: { allow: 'principal-or-token', scope: 'read' },
      params: botIdParams,
      handle: async ({ auth, params, request, services }) => {
        const state = await new TenantBotEntities(entityPortFor(request), auth.tenantId).read(params.id);
        if (!state) return botNotFound();
        const connectionId = state.machine.config.connectionId;
        const modes = await connectionModes(services.connections, auth.tenantId, [connectionId]);
        const view = botViewFromEntity(state, modes.get(connectionId) ?? null);
        return ok(reply.ok(view, { etag: view.etag }));
      },
    }),
  ),
);
