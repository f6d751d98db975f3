import { AverageGain, AverageLoss, RSI } from 'technicalindicators';
import { rsi, rsiInit, rsiUpdate } from '../../../../../shared/trading/indicators/rsi.js';
import { DATASETS, compareAligned, sameBits } from './indicator-test-helpers.js';

const PERIODS = [2, 5, 14, 30];

describe('rsi', () => {
  it('seeds with simple means of the first period changes and smooths them the Wilder way', () => {
    // period 2, values 1 2 3 2 1: changes +1 +1 -1 -1.
    // index 2: gain (1+1)/2 = 1, loss 0 -> 100. index 3: gain (1*1 + 0)/2 = 0.5, loss (0 + 1)/2 = 0.5 -> 50.
    // index 4: gain 0.25, loss 0.75 -> 25.
    expect(Array.from(rsi([1, 2, 3, 2, 1], { period: 2 }))).toEqual([NaN, NaN, 100, 50, 25]);
  });

  it('defaults to period 14', () => {
    const close = DATASETS[0]!.close;
    expect(sameBits(rsi(close), rsi(close, { period: 14 }))).toBe(true);
  });

  it('is 0 after only losses and 50 when nothing moved', () => {
    expect(rsi([5, 4, 3, 2], { period: 3 })[3]).toBe(0);
    expect(rsi([5, 5, 5, 5], { period: 3 })[3]).toBe(50);
  });

  it.each(DATASETS.flatMap((d) => PERIODS.map((p) => [d.name, p, d.close] as const)))(
    'matches technicalindicators AverageGain and AverageLoss on %s close, period %i, to 1e-9 relative',
    (_name, period, close) => {
      const state = rsiInit({ period });
      const gains: number[] = [];
      const losses: number[] = [];
      for (const v of close) {
        const defined = !Number.isNaN(rsiUpdate(state, v));
        gains.push(defined ? state.avgGain : NaN);
        losses.push(defined ? state.avgLoss : NaN);
      }
      expect(compareAligned(gains, AverageGain.calculate({ period, values: close }), period)).toEqual([]);
      expect(compareAligned(losses, AverageLoss.calculate({ period, values: close }), period)).toEqual([]);
    },
  );

  it.each(DATASETS.flatMap((d) => PERIODS.map((p) => [d.name, p, d.close] as const)))(
    'matches technicalindicators RSI (which rounds to 2 decimals) on %s close, period %i, within its rounding',
    (_name, period, close) => {
      const reference = RSI.calculate({ period, values: close });
      const withinRounding = (ours: number, theirs: number) => Math.abs(ours - theirs) <= 0.005 + 1e-9;
      expect(compareAligned(rsi(close, { period }), reference, period, withinRounding)).toEqual([]);
    },
  );

  it('differs from technicalindicators only in the no-movement case, where it says 100', () => {
    expect(RSI.calculate({ period: 3, values: [5, 5, 5, 5] })).toEqual([100]);
    expect(rsi([5, 5, 5, 5], { period: 3 })[3]).toBe(50);
  });
});
