/**
 * Reads a JSON request body within a byte limit. The host's transport limit is 100 MB; the API's is
 * far smaller because no API body needs more and parsing large JSON costs CPU for every tenant.
 */
import type { HttpRequest } from '@azure/functions';
import { appError, err, ok, type Result } from '../core/result.js';

export const MAX_JSON_BODY_BYTES = 64 * 1024;

const tooLarge = (limit: number) => err(appError('PAYLOAD_TOO_LARGE', `The request body exceeds ${limit} bytes.`, { limitBytes: limit }));
const notJson = (message: string) => err(appError('VALIDATION.FAILED', message, [{ path: '(body)', message }]));

export const isJsonContentType = (value: string | null): boolean => value !== null && /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(value.trim());

/** The raw body, refused above `limitBytes` (by Content-Length when declared, always by length read). */
export async function readBodyBytes(request: HttpRequest, limitBytes: number): Promise<Result<Buffer>> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > limitBytes) return tooLarge(limitBytes);
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > limitBytes) return tooLarge(limitBytes);
  return ok(bytes);
}

/** `undefined` for an empty (or whitespace-only) body. */
export function parseJsonBody(bytes: Buffer): Result<unknown> {
  if (bytes.length === 0) return ok(undefined);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return notJson('body must be UTF-8 encoded JSON');
  }
  if (text.trim() === '') return ok(undefined);
  try {
    return ok(JSON.parse(text) as unknown);
  } catch {
    return notJson('body must be valid JSON');
  }
}
