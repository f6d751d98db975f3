/**
 * Raw webhook bytes → JSON value or plain text, before anything trusts them: content type
 * (TradingView sends `application/json` when the message is valid JSON and `text/plain` otherwise),
 * strict UTF-8, nesting depth (checked on the text, before the parser sees it), JSON syntax.
 * Also the two things needed before full validation: the passphrase, and a copy of the payload
 * without it for the signal log.
 */
import { appError, err, ok, type AppError, type Result } from '../core/result.js';

export const MAX_SIGNAL_BODY_BYTES = 16 * 1024;
/** The payload schema needs two levels (the body and `order`/`meta`); anything deeper is refused unread. */
export const MAX_SIGNAL_DEPTH = 3;

export type DecodedBody =
  | { readonly kind: 'json'; readonly value: unknown; readonly text: string }
  | { readonly kind: 'text'; readonly text: string };

const malformed = (message: string): AppError => appError('VALIDATION.FAILED', `The signal is invalid: (body): ${message}.`, [{ path: '(body)', message }]);

export type BodyMediaType = 'json' | 'text';

/** `application/json`, `application/*+json` or `text/plain` (any charset parameter naming UTF-8 or none). */
export function signalMediaType(contentType: string | null): Result<BodyMediaType> {
  const value = (contentType ?? '').trim().toLowerCase();
  const [type = '', ...params] = value.split(';').map((s) => s.trim());
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  const unsupported = err(appError('UNSUPPORTED_MEDIA_TYPE', 'Send the signal with Content-Type: application/json or text/plain (UTF-8).'));
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return unsupported;
  if (type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type)) return ok('json');
  if (type === 'text/plain') return ok('text');
  return unsupported;
}

export function decodeSignalBody(bytes: Uint8Array, mediaType: BodyMediaType): Result<DecodedBody> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return err(malformed('must be UTF-8 text'));
  }
  const trimmed = text.trim();
  if (trimmed === '') return err(malformed('is empty'));
  // Plain-text alerts are single words and numbers; JSON sent as text/plain is still JSON.
  const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[');
  if (mediaType === 'text' && !looksJson) return ok({ kind: 'text', text: trimmed });
  const depth = nestingDepth(trimmed);
  if (depth > MAX_SIGNAL_DEPTH) return err(malformed(`nests deeper than ${MAX_SIGNAL_DEPTH} levels`));
  try {
    return ok({ kind: 'json', value: JSON.parse(trimmed) as unknown, text: trimmed });
  } catch {
    return err(malformed('must be valid JSON (or plain text ACTION SYMBOL [QUANTITY] sent as text/plain)'));
  }
}

/** Deepest bracket nesting outside strings; stops counting once past the limit. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
      if (max > MAX_SIGNAL_DEPTH) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

const SECRET_TOKEN = /(^|\s)secret=(\S*)/i;

/** The body passphrase: JSON field `secret`, or a `secret=…` word in plain text. */
export function bodySecret(body: DecodedBody): string | null {
  if (body.kind === 'text') {
    const match = SECRET_TOKEN.exec(body.text);
    return match?.[2] ? match[2] : null;
  }
  const value = body.value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const secret = (value as Record<string, unknown>).secret;
    return typeof secret === 'string' && secret !== '' ? secret : null;
  }
  return null;
}

/** What the signal log keeps of the payload: everything but the passphrase. */
export function payloadWithoutSecret(body: DecodedBody): { readonly kind: 'json'; readonly value: unknown } | { readonly kind: 'text'; readonly text: string } {
  if (body.kind === 'text') return { kind: 'text', text: body.text.replace(/(^|\s)secret=\S*/gi, '$1secret=[redacted]') };
  const value = body.value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'secret' in value) {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    delete copy.secret;
    return { kind: 'json', value: copy };
  }
  return { kind: 'json', value };
}
