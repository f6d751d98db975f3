/**
 * Exponential moving average with alpha = 2 / (period + 1), seeded with the simple average of the
 * first `period` values (as technicalindicators, TA-Lib and pandas-ta's default do). Defined from
 * index `period - 1`; afterwards ema = (value - ema) * alpha + ema, the same operation order as
 * technicalindicators so results agree to the last bits.
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { ok } from '../../core/result.js';
import { periodSchema, requireIndicatorParams } from './indicator-params.js';
import { checkIndicatorState, counter, finite, storedPeriod } from './indicator-state.js';

export const emaParamsSchema = z.object({ period: periodSchema });
export type EmaParams = z.infer<typeof emaParamsSchema>;

export interface EmaState {
  period: number;
  alpha: number;
  /** Values seen, capped at `period`. */
  count: number;
  /** Sum of the first values, for the seed. */
  seedSum: number;
  /** Last average; 0 until defined (never NaN, so the state stays plain JSON). */
  value: number;
}

// Keys in reverse order: see `indicator-state.ts` on hidden classes.
export const emaStateSchema = z
  .object({ value: finite, seedSum: finite, count: counter, alpha: finite, period: storedPeriod })
  .refine((s) => s.count <= s.period, 'count must not exceed the period');

/** Validates a state read back from JSON. */
export function parseEmaState(json: unknown): Result<EmaState> {
  const parsed = checkIndicatorState(emaStateSchema, json, 'ema');
  return parsed.ok ? ok(emaStateOf(parsed.value)) : parsed;
}

/** The state rebuilt in its own key order (used for nested states too). */
export function emaStateOf(s: EmaState): EmaState {
  return { period: s.period, alpha: s.alpha, count: s.count, seedSum: s.seedSum, value: s.value };
}

export function emaInit(params: EmaParams): EmaState {
  const { period } = requireIndicatorParams(emaParamsSchema, params, 'ema');
  return { period, alpha: 2 / (period + 1), count: 0, seedSum: 0, value: 0 };
}

/** Adds one value; returns the average, NaN until `period` values were seen. */
export function emaUpdate(state: EmaState, value: number): number {
  if (state.count === state.period) {
    return (state.value = (value - state.value) * state.alpha + state.value);
  }
  state.seedSum += value;
  if (++state.count < state.period) return NaN;
  return (state.value = state.seedSum / state.period);
}

export function ema(values: ArrayLike<number>, params: EmaParams): Float64Array {
  const state = emaInit(params);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = emaUpdate(state, values[i]!);
  return out;
}
