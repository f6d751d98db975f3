/**
 * Turns request headers into an AuthContext. An API token is taken from `X-TT-Token: tt_…` or
 * `Authorization: Bearer tt_…`; when one is present it must be valid (no fallback to the principal,
 * so a broken script fails loudly). Static Web Apps replaces the Authorization header of proxied
 * requests with its own bearer value, so an Authorization header that is not a `tt_` token is not
 * ours and is ignored; X-TT-Token is the header that survives SWA. Otherwise the SWA principal is
 * used. A signed-in user has every scope.
 */
import { appError, err, ok, type Result } from '../core/result.js';
import { isTokenExpired, TOKEN_SCOPES, type ApiTokenRecord } from '../domain/api-token.js';
import type { AuthContext } from './auth-context.js';
import { parseApiToken, tokenMatchesHash } from './api-token-codec.js';
import { CLIENT_PRINCIPAL_HEADER, parseClientPrincipal, tenantIdFor } from './client-principal.js';

export interface HeaderSource {
  get(name: string): string | null;
}

export const API_TOKEN_HEADER = 'x-tt-token';

export type FindApiToken = (tenantId: string, tokenId: string) => Promise<ApiTokenRecord | undefined>;
export type Authenticator = (headers: HeaderSource) => Promise<Result<AuthContext>>;

export function createAuthenticator(deps: { findToken: FindApiToken; nowMs: () => number }): Authenticator {
  return async (headers) => {
    const token = presentedToken(headers);
    if (token !== undefined) return authenticateToken(token, deps);
    const principal = parseClientPrincipal(headers.get(CLIENT_PRINCIPAL_HEADER));
    if (!principal.ok) return principal;
    const p = principal.value;
    return ok({
      tenantId: tenantIdFor(p),
      via: 'principal',
      displayName: p.userDetails,
      identityProvider: p.identityProvider,
      roles: p.userRoles,
      scopes: [...TOKEN_SCOPES],
      tokenId: null,
    });
  };
}

/** The token the caller presents, if any: X-TT-Token wins; Authorization counts only as `Bearer tt_…`. */
function presentedToken(headers: HeaderSource): string | undefined {
  const dedicated = headers.get(API_TOKEN_HEADER);
  if (dedicated !== null) return dedicated.trim().replace(/^Bearer\s+/i, '');
  const match = /^Bearer\s+(tt_\S*)\s*$/i.exec(headers.get('authorization') ?? '');
  return match?.[1];
}

async function authenticateToken(token: string, deps: { findToken: FindApiToken; nowMs: () => number }): Promise<Result<AuthContext>> {
  const invalid = err(appError('AUTH.INVALID_TOKEN', 'The API token is invalid or revoked.'));
  if (token.length > 512) return invalid;
  const ids = parseApiToken(token);
  if (!ids) return invalid;
  const record = await deps.findToken(ids.tenantId, ids.tokenId);
  if (!record || record.tenantId !== ids.tenantId || !tokenMatchesHash(token, record.tokenHash)) return invalid;
  if (isTokenExpired(record, deps.nowMs())) return err(appError('AUTH.TOKEN_EXPIRED', 'The API token has expired; create a new one.'));
  return ok({
    tenantId: record.tenantId,
    via: 'token',
    displayName: record.name,
    identityProvider: null,
    roles: [],
    scopes: record.scopes,
    tokenId: record.id,
  });
}
