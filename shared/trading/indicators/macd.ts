/**
 * Moving average convergence/divergence (Gerald Appel): macd = EMA(fast) - EMA(slow), signal =
 * EMA(signalPeriod) of the macd line, histogram = macd - signal. Every EMA is `ema.ts` (seeded with
 * a simple average). The macd line is defined from index slowPeriod - 1, the signal and histogram
 * from slowPeriod + signalPeriod - 2 (the signal EMA starts with the first defined macd value).
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { ok } from '../../core/result.js';
import type { EmaState } from './ema.js';
import { emaInit, emaStateOf, emaStateSchema, emaUpdate } from './ema.js';
import { periodSchema, requireIndicatorParams } from './indicator-params.js';
import { checkIndicatorState, output } from './indicator-state.js';

export const macdParamsSchema = z
  .object({
    fastPeriod: periodSchema.default(12),
    slowPeriod: periodSchema.default(26),
    signalPeriod: periodSchema.default(9),
  })
  .refine((p) => p.fastPeriod < p.slowPeriod, { message: 'fastPeriod must be less than slowPeriod', path: ['fastPeriod'] });
export type MacdParams = z.input<typeof macdParamsSchema>;

export interface MacdState {
  fast: EmaState;
  slow: EmaState;
  signalEma: EmaState;
  /** Latest outputs, NaN while undefined. */
  macd: number;
  signal: number;
  histogram: number;
}

// Keys in reverse order: see `indicator-state.ts` on hidden classes.
export const macdStateSchema = z.object({
  histogram: output,
  signal: output,
  macd: output,
  signalEma: emaStateSchema,
  slow: emaStateSchema,
  fast: emaStateSchema,
});

export function parseMacdState(json: unknown): Result<MacdState> {
  const parsed = checkIndicatorState(macdStateSchema, json, 'macd');
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  return ok({
    fast: emaStateOf(s.fast),
    slow: emaStateOf(s.slow),
    signalEma: emaStateOf(s.signalEma),
    macd: s.macd,
    signal: s.signal,
    histogram: s.histogram,
  });
}

export function macdInit(params: MacdParams = {}): MacdState {
  const p = requireIndicatorParams(macdParamsSchema, params, 'macd');
  return {
    fast: emaInit({ period: p.fastPeriod }),
    slow: emaInit({ period: p.slowPeriod }),
    signalEma: emaInit({ period: p.signalPeriod }),
    macd: NaN,
    signal: NaN,
    histogram: NaN,
  };
}

/** Adds one value; returns the macd line (NaN until defined) and sets state.macd/signal/histogram. */
export function macdUpdate(state: MacdState, value: number): number {
  const fast = emaUpdate(state.fast, value);
  const slow = emaUpdate(state.slow, value);
  const macd = fast - slow;
  state.macd = macd;
  // Every update writes every output, so a state restored from plain JSON (nulls) heals at once.
  if (macd === macd) {
    const signal = emaUpdate(state.signalEma, macd);
    state.signal = signal;
    state.histogram = macd - signal;
  } else {
    state.signal = state.histogram = NaN;
  }
  return macd;
}

export interface MacdSeries {
  macd: Float64Array;
  signal: Float64Array;
  histogram: Float64Array;
}

export function macd(values: ArrayLike<number>, params: MacdParams = {}): MacdSeries {
  const state = macdInit(params);
  const n = values.length;
  const out: MacdSeries = { macd: new Float64Array(n), signal: new Float64Array(n), histogram: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    out.macd[i] = macdUpdate(state, values[i]!);
    out.signal[i] = state.signal;
    out.histogram[i] = state.histogram;
  }
  return out;
}
