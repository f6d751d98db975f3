/**
 * Simple moving average: mean of the last `period` values, defined from index `period - 1`.
 *
 * The running sum is recomputed exactly from the window each time the ring index wraps, so rounding
 * drift never outlives one window (amortized O(1): `period` additions every `period` bars).
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { ok } from '../../core/result.js';
import { periodSchema, requireIndicatorParams, windowSum, zeroWindow } from './indicator-params.js';
import { checkIndicatorState, counter, finite, numberArray, ringIsConsistent, storedPeriod } from './indicator-state.js';

export const smaParamsSchema = z.object({ period: periodSchema });
export type SmaParams = z.infer<typeof smaParamsSchema>;

export interface SmaState {
  period: number;
  /** Values seen, capped at `period`; the average is defined once it reaches `period`. */
  count: number;
  /** Ring position the next value is written to. */
  index: number;
  sum: number;
  window: number[];
}

// Keys in reverse order: see `indicator-state.ts` on hidden classes.
export const smaStateSchema = z
  .object({ window: numberArray, sum: finite, index: counter, count: counter, period: storedPeriod })
  .refine(ringIsConsistent, 'window length, count and index must fit the period');

/** Validates a state read back from JSON. */
export function parseSmaState(json: unknown): Result<SmaState> {
  const parsed = checkIndicatorState(smaStateSchema, json, 'sma');
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  return ok({ period: s.period, count: s.count, index: s.index, sum: s.sum, window: s.window });
}

export function smaInit(params: SmaParams): SmaState {
  const { period } = requireIndicatorParams(smaParamsSchema, params, 'sma');
  return { period, count: 0, index: 0, sum: 0, window: zeroWindow(period) };
}

/** Adds one value; returns the average, NaN until `period` values were seen. */
export function smaUpdate(state: SmaState, value: number): number {
  const period = state.period;
  const window = state.window;
  let index = state.index;
  // Unfilled slots hold 0, so the same subtraction serves the warmup.
  state.sum += value - window[index]!;
  window[index] = value;
  if (++index === period) {
    index = 0;
    state.sum = windowSum(window);
  }
  state.index = index;
  if (state.count < period && ++state.count < period) return NaN;
  return state.sum / period;
}

export function sma(values: ArrayLike<number>, params: SmaParams): Float64Array {
  const state = smaInit(params);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = smaUpdate(state, values[i]!);
  return out;
}
