/**
 * Linearly weighted moving average: weights 1..period, the newest value weighing `period`, divided
 * by period * (period + 1) / 2. Defined from index `period - 1`.
 *
 * O(1) update: when the window slides every weight drops by one, so
 * weighted' = weighted - sum + period * value, and sum' = sum - old + value. Both are recomputed
 * exactly each time the ring wraps, so rounding drift never outlives one window.
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { ok } from '../../core/result.js';
import { periodSchema, requireIndicatorParams, zeroWindow } from './indicator-params.js';
import { checkIndicatorState, counter, finite, numberArray, ringIsConsistent, storedPeriod } from './indicator-state.js';

export const wmaParamsSchema = z.object({ period: periodSchema });
export type WmaParams = z.infer<typeof wmaParamsSchema>;

export interface WmaState {
  period: number;
  /** period * (period + 1) / 2 */
  denominator: number;
  count: number;
  index: number;
  sum: number;
  /** Sum of value × weight; valid once `count === period`. */
  weighted: number;
  window: number[];
}

// Keys in reverse order: see `indicator-state.ts` on hidden classes.
export const wmaStateSchema = z
  .object({
    window: numberArray,
    weighted: finite,
    sum: finite,
    index: counter,
    count: counter,
    denominator: finite,
    period: storedPeriod,
  })
  .refine(ringIsConsistent, 'window length, count and index must fit the period');

export function parseWmaState(json: unknown): Result<WmaState> {
  const parsed = checkIndicatorState(wmaStateSchema, json, 'wma');
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  return ok({
    period: s.period,
    denominator: s.denominator,
    count: s.count,
    index: s.index,
    sum: s.sum,
    weighted: s.weighted,
    window: s.window,
  });
}

export function wmaInit(params: WmaParams): WmaState {
  const { period } = requireIndicatorParams(wmaParamsSchema, params, 'wma');
  return { period, denominator: (period * (period + 1)) / 2, count: 0, index: 0, sum: 0, weighted: 0, window: zeroWindow(period) };
}

/** Adds one value; returns the average, NaN until `period` values were seen. */
export function wmaUpdate(state: WmaState, value: number): number {
  const period = state.period;
  const window = state.window;
  let index = state.index;
  const old = window[index]!;
  state.weighted += period * value - state.sum;
  state.sum += value - old;
  window[index] = value;
  if (++index === period) {
    index = 0;
    recomputeSums(state);
  }
  state.index = index;
  if (state.count < period && ++state.count < period) return NaN;
  return state.weighted / state.denominator;
}

/** Exact sums at the wrap, when the oldest value sits at slot 0 and the newest at period - 1. */
function recomputeSums(state: WmaState): void {
  const window = state.window;
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < window.length; i++) {
    const v = window[i]!;
    sum += v;
    weighted += v * (i + 1);
  }
  state.sum = sum;
  state.weighted = weighted;
}

export function wma(values: ArrayLike<number>, params: WmaParams): Float64Array {
  const state = wmaInit(params);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = wmaUpdate(state, values[i]!);
  return out;
}
