/**
 * Parameter validation shared by every indicator. Indicators validate once, in `xxxInit` and the batch
 * form, never per bar: the update path must stay allocation-free.
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { appError, err, ok } from '../../core/result.js';

export const INDICATOR_INVALID_PARAMS = 'INDICATOR.INVALID_PARAMS' as const;

/** Ring buffers are allocated up front from the period, so an absurd period must be refused, not allocated. */
export const MAX_PERIOD = 1_000_000;

export const periodSchema = z
  .number()
  .int('period must be an integer')
  .min(1, 'period must be at least 1')
  .max(MAX_PERIOD, `period must be at most ${MAX_PERIOD}`);

/** Thrown by `xxxInit` and the batch forms: bad indicator params are a programming error of the caller. */
export class IndicatorParamsError extends Error {
  readonly code = INDICATOR_INVALID_PARAMS;
  constructor(message: string) {
    super(message);
    this.name = 'IndicatorParamsError';
  }
}

/** Validates params as a value, for boundaries that report instead of throwing (bots, the CLI). */
export function checkIndicatorParams<T>(schema: z.ZodType<T>, input: unknown, indicator: string): Result<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return err(appError(INDICATOR_INVALID_PARAMS, `${indicator}: ${z.prettifyError(parsed.error)}`, parsed.error.issues));
}

export function requireIndicatorParams<T>(schema: z.ZodType<T>, input: unknown, indicator: string): T {
  const checked = checkIndicatorParams(schema, input, indicator);
  if (!checked.ok) throw new IndicatorParamsError(checked.error.message);
  return checked.value;
}

/**
 * A ring buffer as a plain number array: survives JSON round trips, unlike typed arrays. Built by
 * pushing so the engine keeps it packed (`new Array(n)` stays holey and slows every read).
 */
export function zeroWindow(length: number): number[] {
  const window: number[] = [];
  for (let i = 0; i < length; i++) window.push(0);
  return window;
}

/** Exact sum of a window, used to discard the rounding drift a running sum accumulates. */
export function windowSum(window: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < window.length; i++) sum += window[i]!;
  return sum;
}

/** The batch forms of multi-input indicators take parallel columns; a length mismatch is a caller bug. */
export function commonLength(indicator: string, ...columns: ArrayLike<number>[]): number {
  const n = columns[0]?.length ?? 0;
  if (columns.some((c) => c.length !== n)) throw new RangeError(`${indicator}: input columns must have the same length`);
  return n;
}
