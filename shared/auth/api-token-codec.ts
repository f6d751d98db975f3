/**
 * Token format `tt_<tenantId>_<tokenId>_<secret>`: the tenant and token id let the API find the
 * record with a point read inside the tenant's partition (no cross-tenant lookup exists), and the
 * 256-bit secret makes the token unguessable. Only the SHA-256 of the whole token is stored;
 * comparison is constant-time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_PATTERN = /^tt_([0-9a-f]{32})_([0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;

export interface IssuedApiToken {
  readonly token: string;
  readonly tokenId: string;
  readonly tokenHash: string;
}

export function issueApiToken(tenantId: string): IssuedApiToken {
  const tokenId = randomBytes(12).toString('hex');
  const token = `tt_${tenantId}_${tokenId}_${randomBytes(32).toString('base64url')}`;
  return { token, tokenId, tokenHash: hashApiToken(token) };
}

export function parseApiToken(token: string): { tenantId: string; tokenId: string } | undefined {
  const m = TOKEN_PATTERN.exec(token);
  return m?.[1] && m[2] ? { tenantId: m[1], tokenId: m[2] } : undefined;
}

export const hashApiToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export function tokenMatchesHash(token: string, storedHashHex: string): boolean {
  const presented = createHash('sha256').update(token, 'utf8').digest();
  const stored = Buffer.from(storedHashHex, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

export const API_TOKEN_ID_PATTERN = /^[0-9a-f]{24}$/;
