/**
 * Rolling volume-weighted average price over the last `period` bars:
 * sum(typical × volume) / sum(volume) with typical = (high + low + close) / 3. Defined from index
 * `period - 1`, and NaN for windows whose volume is 0 (no trade means no volume-weighted price).
 * Both sums are recomputed exactly each time the ring wraps, so rounding drift never outlives one
 * window (amortized O(1)).
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { ok } from '../../core/result.js';
import { commonLength, periodSchema, requireIndicatorParams, windowSum, zeroWindow } from './indicator-params.js';
import { checkIndicatorState, counter, finite, numberArray, storedPeriod } from './indicator-state.js';

export const vwapParamsSchema = z.object({ period: periodSchema.default(20) });
export type VwapParams = z.input<typeof vwapParamsSchema>;

export interface VwapState {
  period: number;
  count: number;
  index: number;
  /** Sums over the window of typical × volume and of volume. */
  priceVolumeSum: number;
  volumeSum: number;
  priceVolume: number[];
  volume: number[];
}

// Keys in reverse order: see `indicator-state.ts` on hidden classes.
export const vwapStateSchema = z
  .object({
    volume: numberArray,
    priceVolume: numberArray,
    volumeSum: finite,
    priceVolumeSum: finite,
    index: counter,
    count: counter,
    period: storedPeriod,
  })
  .refine(
    (s) => s.priceVolume.length === s.period && s.volume.length === s.period && s.count <= s.period && s.index < s.period,
    'window lengths, count and index must fit the period',
  );

export function parseVwapState(json: unknown): Result<VwapState> {
  const parsed = checkIndicatorState(vwapStateSchema, json, 'vwap');
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  return ok({
    period: s.period,
    count: s.count,
    index: s.index,
    priceVolumeSum: s.priceVolumeSum,
    volumeSum: s.volumeSum,
    priceVolume: s.priceVolume,
    volume: s.volume,
  });
}

export function vwapInit(params: VwapParams = {}): VwapState {
  const { period } = requireIndicatorParams(vwapParamsSchema, params, 'vwap');
  return {
    period,
    count: 0,
    index: 0,
    priceVolumeSum: 0,
    volumeSum: 0,
    priceVolume: zeroWindow(period),
    volume: zeroWindow(period),
  };
}

/** Adds one bar; returns the VWAP, NaN until `period` bars were seen or while the window has no volume. */
export function vwapUpdate(state: VwapState, high: number, low: number, close: number, volume: number): number {
  const period = state.period;
  const priceVolumes = state.priceVolume;
  const volumes = state.volume;
  let index = state.index;
  const priceVolume = volume * ((high + low + close) / 3);
  state.priceVolumeSum += priceVolume - priceVolumes[index]!;
  state.volumeSum += volume - volumes[index]!;
  priceVolumes[index] = priceVolume;
  volumes[index] = volume;
  if (++index === period) {
    index = 0;
    state.priceVolumeSum = windowSum(priceVolumes);
    state.volumeSum = windowSum(volumes);
  }
  state.index = index;
  if (state.count < period && ++state.count < period) return NaN;
  return state.volumeSum > 0 ? state.priceVolumeSum / state.volumeSum : NaN;
}

export function vwap(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  volume: ArrayLike<number>,
  params: VwapParams = {},
): Float64Array {
  const state = vwapInit(params);
  const n = commonLength('vwap', high, low, close, volume);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = vwapUpdate(state, high[i]!, low[i]!, close[i]!, volume[i]!);
  return out;
}
