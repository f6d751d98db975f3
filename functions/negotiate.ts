/**
 * GET /api/negotiate: a Web PubSub client URL for the signed-in user. Its token lets the client join
 * only its own tenant's groups (`tenant.{tenantId}.**`) and the public market groups (`md.**`), and
 * never send (see shared/adapters/market-data/web-pubsub-client-access.ts). The tenant id comes
 * from the principal only; API tokens cannot negotiate (live updates are for the signed-in site).
 */
import { app } from '@azure/functions';
import { CLIENT_TOKEN_MINUTES, clientRolesFor, tenantGroupPrefix } from '../shared/adapters/market-data/web-pubsub-client-access.js';
import { appError, err, ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { MARKET_GROUP_PREFIX } from '../shared/market/market-key.js';
import { tenantBotsGroup } from '../shared/schemas/bot-live-update.js';
import * as runtime from './runtime.js';

app.http(
  'negotiate',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'negotiate',
    auth: { allow: 'principal', scope: 'read' },
    handle: async ({ auth, nowMs }) => {
      const client = runtime.webPubSubClient();
      if (!client) return err(appError('LIVE.UNAVAILABLE', 'Live updates are not configured here (no Web PubSub); pages refresh by polling.'));
      const token = await client.getClientAccessToken({ userId: auth.tenantId, roles: clientRolesFor(auth.tenantId), expirationTimeInMinutes: CLIENT_TOKEN_MINUTES });
      const tenantPrefix = tenantGroupPrefix(auth.tenantId);
      return ok(
        reply.ok({
          url: forBrowser(token.url, runtime.functionsConfig().WEB_PUBSUB_BROWSER_ORIGIN),
          hub: client.hubName,
          expiresAtMs: nowMs + CLIENT_TOKEN_MINUTES * 60_000,
          groups: { bots: tenantBotsGroup(auth.tenantId), tenantPrefix, marketPrefix: MARKET_GROUP_PREFIX },
        }),
      );
    },
  }),
);

/** Locally, the emulator's plain loopback listener for browsers; the token (and its audience) is unchanged. */
function forBrowser(clientUrl: string, browserOrigin: string | undefined): string {
  if (!browserOrigin) return clientUrl;
  const url = new URL(clientUrl);
  return `${browserOrigin}${url.pathname}${url.search}`;
}
