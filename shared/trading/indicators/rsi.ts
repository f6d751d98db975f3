/**
 * Relative strength index with Wilder's smoothing (J. Welles Wilder, 1978), as technicalindicators
 * and TA-Lib compute it. Gains and losses are the positive and negative parts of value[i] - value[i-1].
 * The first averages are the simple means of the first `period` gains and losses, so the RSI is
 * defined from index `period` (it needs period + 1 values); afterwards
 * avg = (avg * (period - 1) + x) / period. RSI = 100 * avgGain / (avgGain + avgLoss), which equals
 * 100 - 100 / (1 + RS); it is 50 when both averages are 0 (no movement at all).
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { ok } from '../../core/result.js';
import { periodSchema, requireIndicatorParams } from './indicator-params.js';
import { checkIndicatorState, counter, finite, storedPeriod } from './indicator-state.js';

export const rsiParamsSchema = z.object({ period: periodSchema.default(14) });
export type RsiParams = z.input<typeof rsiParamsSchema>;

export interface RsiState {
  period: number;
  /** Values seen, capped at period + 1. */
  count: number;
  /** Previous value; 0 before the first. */
  previous: number;
  /** Wilder averages; during the warmup they hold the running sums of gains and losses. */
  avgGain: number;
  avgLoss: number;
}

// Keys in reverse order: see `indicator-state.ts` on hidden classes.
export const rsiStateSchema = z
  .object({ avgLoss: finite, avgGain: finite, previous: finite, count: counter, period: storedPeriod })
  .refine((s) => s.count <= s.period + 1, 'count must not exceed period + 1');

export function parseRsiState(json: unknown): Result<RsiState> {
  const parsed = checkIndicatorState(rsiStateSchema, json, 'rsi');
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  return ok({ period: s.period, count: s.count, previous: s.previous, avgGain: s.avgGain, avgLoss: s.avgLoss });
}

export function rsiInit(params: RsiParams = {}): RsiState {
  const { period } = requireIndicatorParams(rsiParamsSchema, params, 'rsi');
  return { period, count: 0, previous: 0, avgGain: 0, avgLoss: 0 };
}

/** Adds one value; returns the RSI in [0, 100], NaN until period + 1 values were seen. */
export function rsiUpdate(state: RsiState, value: number): number {
  const period = state.period;
  const change = value - state.previous;
  const gain = change > 0 ? change : 0;
  const loss = change < 0 ? -change : 0;
  state.previous = value;
  if (state.count > period) {
    state.avgGain = (state.avgGain * (period - 1) + gain) / period;
    state.avgLoss = (state.avgLoss * (period - 1) + loss) / period;
  } else if (state.count++ === 0) {
    return NaN;
  } else {
    state.avgGain += gain;
    state.avgLoss += loss;
    if (state.count <= period) return NaN;
    state.avgGain /= period;
    state.avgLoss /= period;
  }
  const total = state.avgGain + state.avgLoss;
  return total > 0 ? (100 * state.avgGain) / total : 50;
}

export function rsi(values: ArrayLike<number>, params: RsiParams = {}): Float64Array {
  const state = rsiInit(params);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = rsiUpdate(state, values[i]!);
  return out;
}
