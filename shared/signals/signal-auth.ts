/**
 * Webhook authentication, either:
 * - the body passphrase (TradingView cannot set headers): its SHA-256 is compared in constant time
 *   with the stored hash (the passphrase is 256 random bits, so a plain hash is enough); or
 * - `X-TT-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<raw body>")>` within a
 *   5-minute window (several `v1=` are allowed, as during a key change on the sender's side).
 * Plus the optional alert age check (`timestamp` + `max_lag`). The clock is an argument.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appError, err, ok, type Result } from '../core/result.js';

export const SIGNATURE_HEADER = 'x-tt-signature';
export const SIGNATURE_WINDOW_SECONDS = 300;
/** Alerts carrying a `timestamp` without `max_lag` are stale after this many seconds. */
export const DEFAULT_MAX_LAG_SECONDS = 300;
/** Clock skew tolerated for alert timestamps in the future. */
const FUTURE_TOLERANCE_MS = 60_000;

export const AUTH_CODES = {
  unauthenticated: 'SIGNAL.UNAUTHENTICATED',
  stale: 'SIGNAL.STALE',
} as const;

const unauthenticated = (message: string) => err(appError(AUTH_CODES.unauthenticated, message));
const stale = (message: string) => err(appError(AUTH_CODES.stale, message));

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Constant time in the passphrase's content: both sides are 32-byte digests. */
export function passphraseMatches(given: string, storedHashHex: string): boolean {
  const stored = Buffer.from(storedHashHex, 'hex');
  const actual = createHash('sha256').update(given, 'utf8').digest();
  return stored.length === actual.length && timingSafeEqual(stored, actual);
}

export interface SignatureHeader {
  readonly timestampSeconds: number;
  readonly signatures: readonly string[];
}

export function parseSignatureHeader(value: string): Result<SignatureHeader> {
  if (value.length > 1024) return unauthenticated('The X-TT-Signature header is malformed.');
  let timestampSeconds: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const val = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(val)) timestampSeconds = Number(val);
    else if (key === 'v1' && /^[0-9a-fA-F]{64}$/.test(val)) signatures.push(val.toLowerCase());
  }
  if (timestampSeconds === undefined || signatures.length === 0) {
    return unauthenticated('The X-TT-Signature header is malformed: expected t=<unix seconds>,v1=<hex HMAC-SHA256>.');
  }
  return ok({ timestampSeconds, signatures });
}

export function signaturePayloadDigest(key: string, timestampSeconds: number, body: Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${timestampSeconds}.`, 'utf8').update(body).digest();
}

/** The header value a sender computes; used by the test-alert path and by clients. */
export function signBody(key: string, timestampSeconds: number, body: Uint8Array | string): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return `t=${timestampSeconds},v1=${signaturePayloadDigest(key, timestampSeconds, bytes).toString('hex')}`;
}

export function verifySignature(header: string, body: Uint8Array, key: string, nowMs: number): Result<void> {
  const parsed = parseSignatureHeader(header);
  if (!parsed.ok) return parsed;
  const expected = signaturePayloadDigest(key, parsed.value.timestampSeconds, body);
  // Compare every candidate, so the time does not depend on which one matched.
  let matched = false;
  for (const candidate of parsed.value.signatures) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  if (!matched) return unauthenticated('The signature does not match.');
  const ageSeconds = nowMs / 1000 - parsed.value.timestampSeconds;
  if (Math.abs(ageSeconds) > SIGNATURE_WINDOW_SECONDS) {
    return stale(`The signature's timestamp is ${Math.round(Math.abs(ageSeconds))} s ${ageSeconds > 0 ? 'old' : 'in the future'}; it must be within ${SIGNATURE_WINDOW_SECONDS} s.`);
  }
  return ok(undefined);
}

/** Alerts with a `timestamp` older than `max_lag` (default 300 s), or too far in the future, are refused. */
export function checkAlertAge(timestampMs: number | null, maxLagSeconds: number | null, nowMs: number): Result<void> {
  if (timestampMs === null) return ok(undefined);
  const lagMs = maxLagSeconds === null ? DEFAULT_MAX_LAG_SECONDS * 1000 : maxLagSeconds * 1000;
  const ageMs = nowMs - timestampMs;
  if (ageMs > lagMs) return stale(`The alert is ${Math.round(ageMs / 1000)} s old; its max_lag is ${lagMs / 1000} s.`);
  if (-ageMs > FUTURE_TOLERANCE_MS) return stale(`The alert's timestamp is ${Math.round(-ageMs / 1000)} s in the future.`);
  return ok(undefined);
}
