/**
 * Turns request headers into an AuthContext. An Authorization header, when present, must be a valid
 * API token (no fallback to the principal, so a broken script fails loudly); otherwise the SWA
 * principal is used. A signed-in user has every scope.
 */
import { appError, err, ok, type Result } from '../core/result.js';
import { isTokenExpired, TOKEN_SCOPES, type ApiTokenRecord } from '../domain/api-token.js';
import type { AuthContext } from './auth-context.js';
import { parseApiToken, tokenMatchesHash } from './api-token-codec.js';
import { CLIENT_PRINCIPAL_HEADER, parseClientPrincipal, tenantIdFor } from './client-principal.js';

export interface HeaderSource {
  get(name: string): string | null;
}

export type FindApiToken = (tenantId: string, tokenId: string) => Promise<ApiTokenRecord | undefined>;
export type Authenticator = (headers: HeaderSource) => Promise<Result<AuthContext>>;

export function createAuthenticator(deps: { findToken: FindApiToken; nowMs: () => number }): Authenticator {
  return async (headers) => {
    const authorization = headers.get('authorization');
    if (authorization !== null) return authenticateToken(authorization, deps);
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

async function authenticateToken(authorization: string, deps: { findToken: FindApiToken; nowMs: () => number }): Promise<Result<AuthContext>> {
  const invalid = err(appError('AUTH.INVALID_TOKEN', 'The API token is invalid or revoked.'));
  const match = /^Bearer ([^\s]{1,512})$/.exec(authorization.trim());
  if (!match?.[1]) return err(appError('AUTH.INVALID_TOKEN', 'Use Authorization: Bearer tt_…'));
  const token = match[1];
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
