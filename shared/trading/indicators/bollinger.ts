/**
 * Bollinger bands (John Bollinger): middle = SMA(period), upper/lower = middle ± multiplier × the
 * population standard deviation of the same window. Defined from index `period - 1`. The middle band
 * is bit-identical to `sma` with the same period.
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { ok } from '../../core/result.js';
import { periodSchema, requireIndicatorParams } from './indicator-params.js';
import { checkIndicatorState, finite, output } from './indicator-state.js';
import type { StdDevState } from './std-dev.js';
import { stdDevInit, stdDevMean, stdDevStateOf, stdDevStateSchema, stdDevUpdate } from './std-dev.js';

export const bollingerParamsSchema = z.object({
  period: periodSchema.default(20),
  multiplier: z.number().positive('multiplier must be positive').max(1000, 'multiplier must be at most 1000').default(2),
});
export type BollingerParams = z.input<typeof bollingerParamsSchema>;

export interface BollingerState {
  multiplier: number;
  deviation: StdDevState;
  /** Latest outputs, NaN while undefined. */
  middle: number;
  upper: number;
  lower: number;
}

// Keys in reverse order: see `indicator-state.ts` on hidden classes.
export const bollingerStateSchema = z.object({
  lower: output,
  upper: output,
  middle: output,
  deviation: stdDevStateSchema,
  multiplier: finite,
});

export function parseBollingerState(json: unknown): Result<BollingerState> {
  const parsed = checkIndicatorState(bollingerStateSchema, json, 'bollinger');
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  return ok({ multiplier: s.multiplier, deviation: stdDevStateOf(s.deviation), middle: s.middle, upper: s.upper, lower: s.lower });
}

export function bollingerInit(params: BollingerParams = {}): BollingerState {
  const { period, multiplier } = requireIndicatorParams(bollingerParamsSchema, params, 'bollinger');
  return { multiplier, deviation: stdDevInit({ period }), middle: NaN, upper: NaN, lower: NaN };
}

/** Adds one value; returns the middle band (NaN until defined) and sets state.middle/upper/lower. */
export function bollingerUpdate(state: BollingerState, value: number): number {
  const width = stdDevUpdate(state.deviation, value) * state.multiplier;
  const middle = stdDevMean(state.deviation);
  state.middle = middle;
  state.upper = middle + width;
  state.lower = middle - width;
  return middle;
}

export interface BollingerSeries {
  middle: Float64Array;
  upper: Float64Array;
  lower: Float64Array;
}

export function bollinger(values: ArrayLike<number>, params: BollingerParams = {}): BollingerSeries {
  const state = bollingerInit(params);
  const n = values.length;
  const out: BollingerSeries = { middle: new Float64Array(n), upper: new Float64Array(n), lower: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    out.middle[i] = bollingerUpdate(state, values[i]!);
    out.upper[i] = state.upper;
    out.lower[i] = state.lower;
  }
  return out;
}
