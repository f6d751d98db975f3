/**
 * Field schemas of webhook payloads. Alert tools render values as text (TradingView placeholders
 * inside quotes, `key=value` in plain text), so numbers are accepted as JSON numbers or numeric
 * strings; everything else about them is strict: finite, positive, no `NaN`/`Infinity`, no hex, no
 * placeholder left unrendered. Messages name the rule, never echo the value.
 */
import { z } from 'zod';

const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const PLACEHOLDER = /\{\{[^}]*\}\}/;
const MAX_NUMBER_TEXT = 40;

export const UNRENDERED_PLACEHOLDER =
  'contains a TradingView placeholder that was not rendered ({{…}} values are filled in only where TradingView supports them, e.g. strategy placeholders in strategy alerts)';

/** A JSON number or numeric string → finite number; `check` adds the field's own rule. */
const numeric = (check: (n: number) => string | undefined) =>
  z.union([z.number(), z.string()], { error: 'must be a number' }).transform((raw, ctx) => {
    let value: number;
    if (typeof raw === 'number') value = raw;
    else {
      const text = raw.trim();
      if (PLACEHOLDER.test(text)) {
        ctx.addIssue({ code: 'custom', message: UNRENDERED_PLACEHOLDER });
        return z.NEVER;
      }
      if (text.length > MAX_NUMBER_TEXT || !NUMBER_TEXT.test(text)) {
        ctx.addIssue({ code: 'custom', message: 'must be a number' });
        return z.NEVER;
      }
      value = Number(text);
    }
    const problem = Number.isFinite(value) ? check(value) : 'must be a finite number';
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return value;
  });

export const positiveNumber = numeric((n) => (n > 0 ? undefined : 'must be greater than 0'));
export const percent = numeric((n) => (n > 0 && n <= 100 ? undefined : 'must be a percentage above 0 and at most 100'));
export const lagSeconds = numeric((n) => (n >= 1 && n <= 86_400 ? undefined : 'must be between 1 and 86400 seconds'));

/** Text that must not be an unrendered placeholder. */
const text = (max: number, pattern: RegExp, rule: string) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !PLACEHOLDER.test(s), UNRENDERED_PLACEHOLDER)
    .refine((s) => pattern.test(s), rule);

export const tickerText = text(64, /^[A-Za-z0-9][A-Za-z0-9:._/!-]*$/, 'must be a ticker like BINANCE:BTCUSDT, BTCUSDT or BTC/USDT');

/**
 * Idempotency keys: letters, digits, space and `_ . : @ # / + - ( ) [ ] ! ? , = &` (TradingView order
 * ids such as `Long Entry (1)`, rendered times such as `2024-01-15T14:30:00Z`); no quotes, `;`, `<`,
 * `>`, backslash or braces. Numbers are accepted as text.
 */
export const idempotencyKeyText = z
  .union([z.string(), z.number().int().nonnegative()], { error: 'must be text' })
  .transform((v) => (typeof v === 'number' ? String(v) : v))
  .pipe(text(128, /^[A-Za-z0-9 _.:@#/+\-()[\]!?,=&]+$/, 'may contain only letters, digits, space and _ . : @ # / + - ( ) [ ] ! ? , = &'));

export const secretText = z.string({ error: 'must be text' }).min(1, 'must not be empty').max(256, 'must be at most 256 characters');

// A lone UTF-16 surrogate (possible through a JSON \u escape) cannot be stored faithfully.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Free text shown in the signal log and the bot's events (line breaks and tabs allowed). */
export const commentText = z
  .string({ error: 'must be text' })
  .trim()
  .max(500, 'must be at most 500 characters')
  .refine((s) => !LONE_SURROGATE.test(s), 'must be valid Unicode text')
  .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters')
  .transform((s) => (s === '' ? null : s));

/** Case-insensitive keyword → canonical value (`Exit-Long` → `exit_long`); unknown words are refused with the list. */
export function keyword<T extends string>(allowed: readonly T[], aliases: Readonly<Record<string, T>>, what: string) {
  const list = allowed.join(', ');
  return z.string({ error: `must be text: ${what}` }).transform((raw, ctx): T => {
    const word = raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
    if (PLACEHOLDER.test(raw)) {
      ctx.addIssue({ code: 'custom', message: UNRENDERED_PLACEHOLDER });
      return z.NEVER;
    }
    const found = (allowed as readonly string[]).includes(word) ? (word as T) : aliases[word];
    if (found === undefined) {
      ctx.addIssue({ code: 'custom', message: `is not a known ${what}; use one of ${list}` });
      return z.NEVER;
    }
    return found;
  });
}

/**
 * Alert time: unix seconds or milliseconds (number or numeric text) or ISO 8601 (TradingView's
 * `{{timenow}}`, e.g. 2024-01-15T14:30:00Z) → epoch ms.
 */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
/** Numbers below this are seconds (it is year 5138 in seconds, 1973 in milliseconds). */
const SECONDS_BELOW = 1e11;

export const alertTime = z.union([z.number(), z.string()], { error: 'must be unix seconds, milliseconds or an ISO 8601 time' }).transform((raw, ctx) => {
  let ms: number;
  if (typeof raw === 'string' && PLACEHOLDER.test(raw)) {
    ctx.addIssue({ code: 'custom', message: UNRENDERED_PLACEHOLDER });
    return z.NEVER;
  }
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (typeof raw === 'number' || NUMBER_TEXT.test(text)) {
    const n = typeof raw === 'number' ? raw : Number(text);
    ms = n < SECONDS_BELOW ? n * 1000 : n;
  } else if (text.length <= 40 && ISO_8601.test(text)) {
    ms = Date.parse(text.replace(' ', 'T'));
  } else ms = NaN;
  if (!Number.isFinite(ms) || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: 'must be unix seconds, milliseconds or an ISO 8601 time with a zone' });
    return z.NEVER;
  }
  return Math.round(ms);
});

/** Informational values (TradingView's `{{close}}`, `{{interval}}` …): scalars, logged but not acted on. */
export const infoScalar = z.union([z.string().max(200, 'must be at most 200 characters'), z.number(), z.boolean(), z.null()], {
  error: 'must be text, a number, true/false or null',
});
