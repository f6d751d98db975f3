/**
 * Reads a decimal number straight from a range of a string, without slicing it out.
 *
 * Why not `Number(text.slice(a, b))`: a 20 MB upload has ~1.5M numeric fields and the slice is most of
 * the cost. The fast path is Clinger's: an integer mantissa of at most 15 digits and a power of ten of
 * at most 22 are both exact doubles, so one multiplication or division rounds correctly and the result
 * is bit-identical to `Number()`. Anything else (long mantissas, big exponents, `Infinity`, hex)
 * falls back to `Number()` on the slice, with the same strictness rules.
 */

const EXACT_POWERS_OF_TEN: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
const MAX_EXACT_DIGITS = 15;

const CH_0 = 48;
const CH_9 = 57;
const CH_DOT = 46;
const CH_MINUS = 45;
const CH_PLUS = 43;
const CH_E_LOWER = 101;
const CH_E_UPPER = 69;
const CH_SPACE = 32;
const CH_TAB = 9;

export function isBlank(code: number): boolean {
  return code === CH_SPACE || code === CH_TAB;
}

/**
 * Parses `text[start, end)` as a finite decimal number (optional sign, digits, optional fraction,
 * optional exponent; surrounding spaces allowed). Returns NaN when the range is empty or not a finite
 * decimal number.
 */
export function parseDecimal(text: string, start: number, end: number): number {
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (start >= end) return NaN;

  let i = start;
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === CH_MINUS || c === CH_PLUS) {
    negative = c === CH_MINUS;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let significantDigits = 0;
  let fractionDigits = 0;
  let sawDot = false;
  for (; i < end; i++) {
    c = text.charCodeAt(i);
    if (c >= CH_0 && c <= CH_9) {
      digits++;
      if (significantDigits > 0 || c !== CH_0) significantDigits++;
      mantissa = mantissa * 10 + (c - CH_0);
      if (sawDot) fractionDigits++;
    } else if (c === CH_DOT && !sawDot) {
      sawDot = true;
    } else {
      break;
    }
  }
  if (digits === 0) return slowParse(text, start, end);

  let exponent = 0;
  if (i < end) {
    c = text.charCodeAt(i);
    if (c !== CH_E_LOWER && c !== CH_E_UPPER) return NaN;
    i++;
    let exponentNegative = false;
    c = text.charCodeAt(i);
    if (c === CH_MINUS || c === CH_PLUS) {
      exponentNegative = c === CH_MINUS;
      i++;
    }
    let exponentDigits = 0;
    for (; i < end; i++) {
      c = text.charCodeAt(i);
      if (c < CH_0 || c > CH_9) return NaN;
      exponent = exponent * 10 + (c - CH_0);
      exponentDigits++;
      if (exponent > 1e6) return slowParse(text, start, end);
    }
    if (exponentDigits === 0) return NaN;
    if (exponentNegative) exponent = -exponent;
  }

  if (significantDigits > MAX_EXACT_DIGITS) return slowParse(text, start, end);
  const power = exponent - fractionDigits;
  let value: number;
  if (power === 0) value = mantissa;
  else if (power > 0 && power <= 22) value = mantissa * EXACT_POWERS_OF_TEN[power]!;
  else if (power < 0 && power >= -22) value = mantissa / EXACT_POWERS_OF_TEN[-power]!;
  else return slowParse(text, start, end);
  return negative ? -value : value;
}

/** Same acceptance rules as the fast path, decided by `Number()`: rejects hex, `Infinity` and empty text. */
function slowParse(text: string, start: number, end: number): number {
  const raw = text.slice(start, end);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) return NaN;
  const value = Number(raw);
  return Number.isFinite(value) ? value : NaN;
}
