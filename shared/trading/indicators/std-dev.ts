/**
 * Rolling standard deviation over the last `period` values, defined from index `period - 1`.
 * Population (divide by `period`, as technicalindicators and Bollinger's bands) by default;
 * `sample: true` divides by `period - 1` and needs `period >= 2`.
 *
 * The sum is kept exactly like the SMA's, so `stdDevMean` is bit-identical to `sma`. The sum of
 * squared deviations (m2) slides in O(1): replacing `old` by `value` adds
 * (value - old) * (value - newMean + old - oldMean). Its rounding error is a few ulps of the largest
 * m2 seen since the last exact computation (`m2Peak`), so when m2 falls below 2^-10 of that peak
 * (a volatile value left the window: cancellation) it is recomputed exactly by two passes over the
 * window, and so it is each time the ring wraps. The relative error thus stays near 1e-13 however
 * flat the window becomes, at amortized O(1) cost (a recompute needs a 1000-fold variance drop or
 * one window of bars).
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { ok } from '../../core/result.js';
import { periodSchema, requireIndicatorParams, windowSum, zeroWindow } from './indicator-params.js';
import { checkIndicatorState, counter, finite, numberArray, ringIsConsistent, storedPeriod } from './indicator-state.js';

/** m2 below this fraction of its peak has lost about 10 bits to cancellation: recompute it. */
const CANCELLATION_LIMIT = 2 ** -10;

export const stdDevParamsSchema = z
  .object({ period: periodSchema, sample: z.boolean().default(false) })
  .refine((p) => !p.sample || p.period >= 2, { message: 'a sample standard deviation needs period >= 2', path: ['period'] });
export type StdDevParams = z.input<typeof stdDevParamsSchema>;

export interface StdDevState {
  period: number;
  /** `period` for the population, `period - 1` for the sample deviation. */
  divisor: number;
  count: number;
  index: number;
  sum: number;
  /** Sum of squared deviations from the mean; valid once `count === period`. */
  m2: number;
  /** Largest m2 since it was last computed exactly: the scale of its rounding error. */
  m2Peak: number;
  window: number[];
}

// Keys in reverse order: see `indicator-state.ts` on hidden classes.
export const stdDevStateSchema = z
  .object({
    window: numberArray,
    m2Peak: finite,
    m2: finite,
    sum: finite,
    index: counter,
    count: counter,
    divisor: storedPeriod,
    period: storedPeriod,
  })
  .refine(ringIsConsistent, 'window length, count and index must fit the period');

export function parseStdDevState(json: unknown): Result<StdDevState> {
  const parsed = checkIndicatorState(stdDevStateSchema, json, 'stdDev');
  return parsed.ok ? ok(stdDevStateOf(parsed.value)) : parsed;
}

/** The state rebuilt in its own key order (used for nested states too). */
export function stdDevStateOf(s: StdDevState): StdDevState {
  return {
    period: s.period,
    divisor: s.divisor,
    count: s.count,
    index: s.index,
    sum: s.sum,
    m2: s.m2,
    m2Peak: s.m2Peak,
    window: s.window,
  };
}

export function stdDevInit(params: StdDevParams): StdDevState {
  const { period, sample } = requireIndicatorParams(stdDevParamsSchema, params, 'stdDev');
  return { period, divisor: sample ? period - 1 : period, count: 0, index: 0, sum: 0, m2: 0, m2Peak: 0, window: zeroWindow(period) };
}

/** Adds one value; returns the standard deviation, NaN until `period` values were seen. */
export function stdDevUpdate(state: StdDevState, value: number): number {
  const period = state.period;
  const window = state.window;
  let index = state.index;
  const old = window[index]!;
  const oldSum = state.sum;
  state.sum = oldSum + (value - old);
  window[index] = value;
  if (++index === period) {
    index = 0;
    state.sum = windowSum(window);
    state.m2 = state.m2Peak = squaredDeviations(window, state.sum / period);
  } else if (state.count === period) {
    const m2 = state.m2 + (value - old) * (value - state.sum / period + old - oldSum / period);
    if (m2 > state.m2Peak) {
      state.m2 = state.m2Peak = m2;
    } else if (m2 < state.m2Peak * CANCELLATION_LIMIT) {
      state.m2 = state.m2Peak = squaredDeviations(window, state.sum / period);
    } else {
      state.m2 = m2;
    }
  }
  state.index = index;
  if (state.count < period && ++state.count < period) return NaN;
  // Sliding updates can leave a tiny negative m2 for a constant window.
  return state.m2 > 0 ? Math.sqrt(state.m2 / state.divisor) : 0;
}

/** Mean of the current window, bit-identical to `sma`; NaN until defined. */
export function stdDevMean(state: StdDevState): number {
  return state.count === state.period ? state.sum / state.period : NaN;
}

export function stdDev(values: ArrayLike<number>, params: StdDevParams): Float64Array {
  const state = stdDevInit(params);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = stdDevUpdate(state, values[i]!);
  return out;
}

function squaredDeviations(window: readonly number[], mean: number): number {
  let m2 = 0;
  for (let i = 0; i < window.length; i++) {
    const d = window[i]! - mean;
    m2 += d * d;
  }
  return m2;
}
