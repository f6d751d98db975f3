/** String field builders for request bodies: bounded length, no control characters, well-formed Unicode. */
import { z } from 'zod';

// A lone UTF-16 surrogate cannot be encoded as UTF-8: stores would silently replace it, so refuse it here.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001F\u007F-\u009F]/;

/** Human text (labels, names): trimmed, 1..max characters, any script, no control characters. */
export const displayText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !LONE_SURROGATE.test(s), 'must be valid Unicode text')
    .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');

/** Credential material: printable ASCII; `multiline` allows the line breaks of PEM private keys. */
export const credentialText = (max: number, options: { multiline?: boolean } = {}) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(options.multiline ? /^[\x20-\x7E\r\n]+$/ : /^[\x21-\x7E]+$/, options.multiline ? 'must be printable ASCII' : 'must be printable ASCII without spaces');
