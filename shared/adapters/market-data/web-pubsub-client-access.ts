/**
 * What a browser may do on Web PubSub: join and leave its own tenant's groups (`tenant.{tenantId}.…`)
 * and the public market groups (`md.…`), and nothing else: no send role of any kind. Expressed with
 * the service's wildcard pattern roles (`webpubsub.joinLeaveGroups.<pattern>`, where `*` stops at a
 * dot and `**` does not), which the local emulator implements the same way. The tenant id is 32 hex
 * characters, so `tenant.{id}.**` can never match another tenant's groups.
 */
import { MARKET_GROUP_PREFIX } from '../../market/market-key.js';

const TENANT_ID = /^[0-9a-f]{32}$/;

export const tenantGroupPrefix = (tenantId: string): string => `tenant.${tenantId}.`;

/** Roles for a client token of `tenantId`. Throws on a malformed id: it must come from the principal. */
export function clientRolesFor(tenantId: string): string[] {
  if (!TENANT_ID.test(tenantId)) throw new Error('client roles need a valid tenant id');
  return [`webpubsub.joinLeaveGroups.${tenantGroupPrefix(tenantId)}**`, `webpubsub.joinLeaveGroups.${MARKET_GROUP_PREFIX}**`];
}

/** Minutes a negotiated client URL stays valid; the client SDK negotiates again to reconnect. */
export const CLIENT_TOKEN_MINUTES = 60;
