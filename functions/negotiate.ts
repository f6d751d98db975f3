/**
 * GET /api/negotiate: a Web PubSub client URL for the signed-in user. Its token lets the client join
 * only its own tenant's groups (`tenant.{tenantId}.**`) and the public market groups (`md.**`), and
 * never send (see shared/adapters/market-data/web-pubsub-client-access.ts). The tenant id comes
 * from the principal only; API tokens cannot negotiate (live updates are for the signed-in site).
 */
import { app } from '@azure/functions';
import type { WebPubSubServiceClient } from '@azure/web-pubsub';
import { CLIENT_TOKEN_MINUTES, clientRolesFor, tenantGroupPrefix, webPubSubSettingsSchema } from '../shared/adapters/market-data/web-pubsub-client-access.js';
import { createWebPubSubServiceClient } from '../shared/adapters/market-data/web-pubsub-tick-publisher.js';
import { parseEnv } from '../shared/config/env-parse.js';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { MARKET_GROUP_PREFIX } from '../shared/market/market-key.js';
import * as runtime from './runtime.js';

let service: WebPubSubServiceClient | undefined;

function webPubSub(): WebPubSubServiceClient {
  if (service) return service;
  const settings = parseEnv(webPubSubSettingsSchema, process.env, 'negotiate');
  if (!settings.ok) throw new Error(settings.error.message);
  const { WEB_PUBSUB_CONNECTION_STRING: connectionString, WEB_PUBSUB_ENDPOINT: endpoint, WEB_PUBSUB_HUB: hub } = settings.value;
  if (!connectionString && !endpoint) throw new Error('negotiate needs WEB_PUBSUB_CONNECTION_STRING or WEB_PUBSUB_ENDPOINT');
  service = createWebPubSubServiceClient({ connectionString, endpoint, hub });
  return service;
}

app.http(
  'negotiate',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'negotiate',
    auth: { allow: 'principal', scope: 'read' },
    handle: async ({ auth, nowMs }) => {
      const client = webPubSub();
      const token = await client.getClientAccessToken({ userId: auth.tenantId, roles: clientRolesFor(auth.tenantId), expirationTimeInMinutes: CLIENT_TOKEN_MINUTES });
      const tenantPrefix = tenantGroupPrefix(auth.tenantId);
      return ok(
        reply.ok({
          url: token.url,
          hub: client.hubName,
          expiresAtMs: nowMs + CLIENT_TOKEN_MINUTES * 60_000,
          groups: { bots: `${tenantPrefix}bots`, tenantPrefix, marketPrefix: MARKET_GROUP_PREFIX },
        }),
      );
    },
  }),
);
