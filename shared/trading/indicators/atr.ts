/**
 * Average true range with Wilder's smoothing, as technicalindicators and TA-Lib compute it.
 * True range needs the previous close: tr = max(high - low, |high - prevClose|, |low - prevClose|),
 * so the first bar has none. The first ATR is the simple mean of the first `period` true ranges
 * (bars 1..period), so ATR is defined from index `period`; afterwards atr = (tr - atr) / period + atr.
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { ok } from '../../core/result.js';
import { commonLength, periodSchema, requireIndicatorParams } from './indicator-params.js';
import { checkIndicatorState, counter, finite, storedPeriod } from './indicator-state.js';

export const atrParamsSchema = z.object({ period: periodSchema.default(14) });
export type AtrParams = z.input<typeof atrParamsSchema>;

export interface AtrState {
  period: number;
  /** Bars seen, capped at period + 1. */
  count: number;
  /** Previous close; 0 before the first bar. */
  previousClose: number;
  /** The ATR once defined; during the warmup the running sum of true ranges. */
  value: number;
}

// Keys in reverse order: see `indicator-state.ts` on hidden classes.
export const atrStateSchema = z
  .object({ value: finite, previousClose: finite, count: counter, period: storedPeriod })
  .refine((s) => s.count <= s.period + 1, 'count must not exceed period + 1');

export function parseAtrState(json: unknown): Result<AtrState> {
  const parsed = checkIndicatorState(atrStateSchema, json, 'atr');
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  return ok({ period: s.period, count: s.count, previousClose: s.previousClose, value: s.value });
}

export function atrInit(params: AtrParams = {}): AtrState {
  const { period } = requireIndicatorParams(atrParamsSchema, params, 'atr');
  return { period, count: 0, previousClose: 0, value: 0 };
}

/** Adds one bar; returns the ATR, NaN until period + 1 bars were seen. */
export function atrUpdate(state: AtrState, high: number, low: number, close: number): number {
  const previousClose = state.previousClose;
  state.previousClose = close;
  if (state.count === 0) {
    state.count = 1;
    return NaN;
  }
  const fromHigh = Math.abs(high - previousClose);
  const fromLow = Math.abs(low - previousClose);
  let trueRange = high - low;
  if (fromHigh > trueRange) trueRange = fromHigh;
  if (fromLow > trueRange) trueRange = fromLow;
  const period = state.period;
  if (state.count > period) return (state.value = (trueRange - state.value) * (1 / period) + state.value);
  state.value += trueRange;
  if (++state.count <= period) return NaN;
  return (state.value /= period);
}

export function atr(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  params: AtrParams = {},
): Float64Array {
  const state = atrInit(params);
  const n = commonLength('atr', high, low, close);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = atrUpdate(state, high[i]!, low[i]!, close[i]!);
  return out;
}

