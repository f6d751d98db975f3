/**
 * HS256 JSON Web Tokens as Azure Web PubSub uses them: signed with the access key string (its UTF-8
 * bytes are the HMAC key, as `jsonwebtoken.sign(payload, key)` does), `exp` required.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appError, err, ok, type AppError, type Result } from '../../shared/core/result.js';

export type JwtClaims = Readonly<Record<string, unknown>>;

export const JWT_ERROR = {
  MALFORMED: 'WPS.JWT_MALFORMED',
  ALGORITHM: 'WPS.JWT_ALGORITHM',
  SIGNATURE: 'WPS.JWT_SIGNATURE',
  EXPIRED: 'WPS.JWT_EXPIRED',
  NOT_YET_VALID: 'WPS.JWT_NOT_YET_VALID',
} as const;

const base64url = (input: Buffer | string): string => Buffer.from(input).toString('base64url');

/** Signs `claims` (add `exp`, `aud`, `sub` yourself) with HS256. */
export function signHs256Jwt(claims: Record<string, unknown>, key: string): string {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify(claims));
  const signature = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

/**
 * Verifies signature, `exp` (required) and `nbf` (if present) at `nowMs`; returns the claims.
 * `clockToleranceMs` widens both time checks, like jsonwebtoken's `clockTolerance`.
 */
export function verifyHs256Jwt(token: string, key: string, nowMs: number, clockToleranceMs = 0): Result<JwtClaims> {
  const parts = token.split('.');
  if (parts.length !== 3) return err(appError(JWT_ERROR.MALFORMED, 'token is not a three-part JWT'));
  const [head, body, signature] = parts as [string, string, string];
  const header = decodeJson(head);
  if (!header) return err(appError(JWT_ERROR.MALFORMED, 'token header is not base64url JSON'));
  if (header.alg !== 'HS256') return err(appError(JWT_ERROR.ALGORITHM, `token algorithm must be HS256, got ${String(header.alg)}`));
  const expected = createHmac('sha256', key).update(`${head}.${body}`).digest();
  const actual = Buffer.from(signature, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return err(appError(JWT_ERROR.SIGNATURE, 'token signature does not match the access key'));
  }
  const claims = decodeJson(body);
  if (!claims) return err(appError(JWT_ERROR.MALFORMED, 'token payload is not base64url JSON'));
  const timeError = checkTimes(claims, nowMs, clockToleranceMs);
  return timeError ? err(timeError) : ok(claims);
}

function checkTimes(claims: JwtClaims, nowMs: number, toleranceMs: number): AppError | undefined {
  const exp = claims.exp;
  if (typeof exp !== 'number') return appError(JWT_ERROR.MALFORMED, 'token has no numeric exp claim');
  if (nowMs >= exp * 1000 + toleranceMs) return appError(JWT_ERROR.EXPIRED, `token expired at ${new Date(exp * 1000).toISOString()}`);
  const nbf = claims.nbf;
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') return appError(JWT_ERROR.MALFORMED, 'token nbf claim is not a number');
    if (nowMs + toleranceMs < nbf * 1000) return appError(JWT_ERROR.NOT_YET_VALID, 'token is not valid yet (nbf)');
  }
  return undefined;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
