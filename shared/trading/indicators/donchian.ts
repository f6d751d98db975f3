/**
 * Donchian channel (Richard Donchian): upper = highest high and lower = lowest low of the last
 * `period` bars including the current one, middle = (upper + lower) / 2. Defined from index
 * `period - 1`. A breakout rule compares a close with the channel of the bars before it, so read
 * state.upper / state.lower before updating with the new bar.
 *
 * O(1) amortized per bar: two monotonic deques (bar number and value) in fixed circular arrays of
 * length `period`. Each bar is pushed and popped at most once, so no bar costs more than O(1) on
 * average and nothing is allocated.
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { commonLength, periodSchema, requireIndicatorParams, zeroWindow } from './indicator-params.js';
import { checkIndicatorState, counter, numberArray, output, storedPeriod } from './indicator-state.js';

export const donchianParamsSchema = z.object({ period: periodSchema.default(20) });
export type DonchianParams = z.input<typeof donchianParamsSchema>;

export interface DonchianState {
  period: number;
  /** Bars seen in total; bar numbers in the deques count from 0. */
  bars: number;
  /** Deque of candidate maxima, values strictly decreasing from head to tail. */
  maxBar: number[];
  maxValue: number[];
  maxHead: number;
  maxSize: number;
  /** Deque of candidate minima, values strictly increasing from head to tail. */
  minBar: number[];
  minValue: number[];
  minHead: number;
  minSize: number;
  /** Latest outputs, NaN while undefined. */
  upper: number;
  lower: number;
  middle: number;
}

export const donchianStateSchema = z
  .object({
    period: storedPeriod,
    bars: counter,
    maxBar: numberArray,
    maxValue: numberArray,
    maxHead: counter,
    maxSize: counter,
    minBar: numberArray,
    minValue: numberArray,
    minHead: counter,
    minSize: counter,
    upper: output,
    lower: output,
    middle: output,
  })
  .refine(
    (s) =>
      [s.maxBar, s.maxValue, s.minBar, s.minValue].every((a) => a.length === s.period) &&
      s.maxHead < s.period &&
      s.minHead < s.period &&
      s.maxSize <= s.period &&
      s.minSize <= s.period,
    'deque lengths, heads and sizes must fit the period',
  );

export function parseDonchianState(json: unknown): Result<DonchianState> {
  return checkIndicatorState(donchianStateSchema, json, 'donchian');
}

export function donchianInit(params: DonchianParams = {}): DonchianState {
  const { period } = requireIndicatorParams(donchianParamsSchema, params, 'donchian');
  return {
    period,
    bars: 0,
    maxBar: zeroWindow(period),
    maxValue: zeroWindow(period),
    maxHead: 0,
    maxSize: 0,
    minBar: zeroWindow(period),
    minValue: zeroWindow(period),
    minHead: 0,
    minSize: 0,
    upper: NaN,
    lower: NaN,
    middle: NaN,
  };
}

/** Adds one bar; returns the middle line (NaN until defined) and sets state.upper/lower/middle. */
export function donchianUpdate(state: DonchianState, high: number, low: number): number {
  const period = state.period;
  const bar = state.bars++;
  const expired = bar - period;

  // Highs: drop expired entries from the head, dominated ones (<= high) from the tail, append.
  const maxBar = state.maxBar;
  const maxValue = state.maxValue;
  let head = state.maxHead;
  let size = state.maxSize;
  if (size > 0 && maxBar[head] === expired) {
    if (++head === period) head = 0;
    size--;
  }
  while (size > 0) {
    let last = head + size - 1;
    if (last >= period) last -= period;
    if (maxValue[last]! > high) break;
    size--;
  }
  let slot = head + size;
  if (slot >= period) slot -= period;
  maxBar[slot] = bar;
  maxValue[slot] = high;
  state.maxHead = head;
  state.maxSize = size + 1;
  const upper = maxValue[head]!;

  // Lows: the mirror image.
  const minBar = state.minBar;
  const minValue = state.minValue;
  head = state.minHead;
  size = state.minSize;
  if (size > 0 && minBar[head] === expired) {
    if (++head === period) head = 0;
    size--;
  }
  while (size > 0) {
    let last = head + size - 1;
    if (last >= period) last -= period;
    if (minValue[last]! < low) break;
    size--;
  }
  slot = head + size;
  if (slot >= period) slot -= period;
  minBar[slot] = bar;
  minValue[slot] = low;
  state.minHead = head;
  state.minSize = size + 1;
  const lower = minValue[head]!;

  // Every update writes every output, so a state restored from plain JSON (nulls) heals at once.
  if (bar < period - 1) {
    state.upper = state.lower = state.middle = NaN;
    return NaN;
  }
  state.upper = upper;
  state.lower = lower;
  return (state.middle = (upper + lower) / 2);
}

export interface DonchianSeries {
  upper: Float64Array;
  lower: Float64Array;
  middle: Float64Array;
}

export function donchian(high: ArrayLike<number>, low: ArrayLike<number>, params: DonchianParams = {}): DonchianSeries {
  const state = donchianInit(params);
  const n = commonLength('donchian', high, low);
  const out: DonchianSeries = { upper: new Float64Array(n), lower: new Float64Array(n), middle: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    out.middle[i] = donchianUpdate(state, high[i]!, low[i]!);
    out.upper[i] = state.upper;
    out.lower[i] = state.lower;
  }
  return out;
}
