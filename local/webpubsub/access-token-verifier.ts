/**
 * Token rules of the service, for the two kinds of caller:
 * - REST (server SDK): `Authorization: Bearer <HS256 JWT>` signed with the access key, `exp`
 *   required, `aud` equal to the full request URL (the SDK signs `request.url`, query included).
 * - Client websocket: `?access_token=<HS256 JWT>` (or a Bearer header) signed with the access key,
 *   `exp` required, `aud` = `<endpoint>/client/hubs/<hub>`, `sub` = user id, `role` and
 *   `webpubsub.group` claims (string or array).
 */
import { z } from 'zod';
import { appError, err, ok, type Result } from '../../shared/core/result.js';
import { verifyHs256Jwt, type JwtClaims } from './jwt-hs256.js';

export const TOKEN_ERROR = {
  MISSING: 'WPS.TOKEN_MISSING',
  AUDIENCE: 'WPS.TOKEN_AUDIENCE',
  CLAIMS: 'WPS.TOKEN_CLAIMS',
} as const;

export interface ClientIdentity {
  readonly userId: string | undefined;
  readonly roles: readonly string[];
  /** Groups the connection joins as it connects (`webpubsub.group` claim). */
  readonly groups: readonly string[];
  readonly expiresAtMs: number;
}

const stringOrList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : typeof v === 'string' ? [v] : v));

const clientClaimsSchema = z.object({
  sub: z.string().min(1).optional(),
  role: stringOrList,
  'webpubsub.group': stringOrList,
  exp: z.number(),
});

const bearerPrefix = /^Bearer\s+/i;

/** Checks a REST call's Authorization header against the key and the URL the caller used. */
export function verifyRestRequestToken(authorization: string | undefined, requestUrl: string, accessKey: string, nowMs: number): Result<JwtClaims> {
  if (!authorization || !bearerPrefix.test(authorization)) {
    return err(appError(TOKEN_ERROR.MISSING, 'Authorization: Bearer <token> header is required'));
  }
  const verified = verifyHs256Jwt(authorization.replace(bearerPrefix, '').trim(), accessKey, nowMs);
  if (!verified.ok) return verified;
  if (!audienceMatches(verified.value.aud, [requestUrl], urlsEqual)) {
    return err(appError(TOKEN_ERROR.AUDIENCE, `token audience must be the request URL ${requestUrl}`));
  }
  return verified;
}

/**
 * Checks a client access token. `acceptedAudiences` are the `<origin>/client/hubs/<hub>` URLs the
 * emulator answers to (its endpoint, and the origin the client actually addressed).
 */
export function verifyClientAccessToken(token: string | undefined, acceptedAudiences: readonly string[], accessKey: string, nowMs: number): Result<ClientIdentity> {
  if (!token) return err(appError(TOKEN_ERROR.MISSING, 'access_token query parameter or Bearer header is required'));
  const verified = verifyHs256Jwt(token, accessKey, nowMs);
  if (!verified.ok) return verified;
  if (!audienceMatches(verified.value.aud, acceptedAudiences, clientAudienceEqual)) {
    return err(appError(TOKEN_ERROR.AUDIENCE, `token audience must be ${acceptedAudiences[0] ?? '<endpoint>/client/hubs/<hub>'}`));
  }
  const parsed = clientClaimsSchema.safeParse(verified.value);
  if (!parsed.success) {
    return err(appError(TOKEN_ERROR.CLAIMS, `token claims: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`));
  }
  const claims = parsed.data;
  return ok({ userId: claims.sub, roles: claims.role, groups: claims['webpubsub.group'], expiresAtMs: claims.exp * 1000 });
}

function audienceMatches(aud: unknown, accepted: readonly string[], equal: (a: string, b: string) => boolean): boolean {
  const claimed = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
  return claimed.some((a) => accepted.some((b) => equal(a, b)));
}

/** Exact match, or equal after URL normalization (host case, default port, percent-encoding case). */
function urlsEqual(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/** Client audiences: scheme http(s) or ws(s) alike, host and hub case-insensitive, trailing slash ignored. */
function clientAudienceEqual(a: string, b: string): boolean {
  const norm = (u: string): string =>
    u
      .trim()
      .toLowerCase()
      .replace(/^wss:/, 'https:')
      .replace(/^ws:/, 'http:')
      .replace(/\/+$/, '');
  return norm(a) === norm(b);
}
