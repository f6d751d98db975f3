import { SMA, VWAP } from 'technicalindicators';
import { vwap } from '../../../../../shared/trading/indicators/vwap.js';
import { DATASETS, compareAligned, relClose } from './indicator-test-helpers.js';

const PERIODS = [1, 5, 20, 100];

describe('vwap', () => {
  it('weights the typical price by volume over the last period bars on a hand-checked sequence', () => {
    // typical prices 2, 4, 6; volumes 1, 3, 0 -> period 2: (2 + 12) / 4 = 3.5, then (12 + 0) / 3 = 4.
    const out = vwap([3, 5, 7], [1, 3, 5], [2, 4, 6], [1, 3, 0], { period: 2 });
    expect(Array.from(out)).toEqual([NaN, 3.5, 4]);
  });

  it('is undefined for a window without volume', () => {
    expect(Number.isNaN(vwap([3, 5], [1, 3], [2, 4], [0, 0], { period: 2 })[1])).toBe(true);
  });

  it.each(DATASETS.flatMap((d) => PERIODS.map((p) => [d.name, p, d] as const)))(
    'matches SMA(typical × volume) / SMA(volume) from technicalindicators on %s, period %i, to 1e-9 relative',
    (_name, period, d) => {
      const priceVolume = d.close.map((c, i) => d.volume[i]! * ((d.high[i]! + d.low[i]! + c) / 3));
      const numerator = SMA.calculate({ period, values: priceVolume });
      const denominator = SMA.calculate({ period, values: d.volume });
      const reference = numerator.map((n, k) => n / denominator[k]!);
      expect(compareAligned(vwap(d.high, d.low, d.close, d.volume, { period }), reference, period - 1)).toEqual([]);
    },
  );

  it.each(DATASETS.map((d) => [d.name, d] as const))(
    'equals the cumulative VWAP of technicalindicators over the first period bars on %s',
    (_name, d) => {
      const cumulative = VWAP.calculate({ high: d.high, low: d.low, close: d.close, volume: d.volume });
      const mismatches: number[] = [];
      for (let period = 1; period <= Math.min(150, d.close.length); period++) {
        const ours = vwap(d.high, d.low, d.close, d.volume, { period })[period - 1]!;
        if (!relClose(ours, cumulative[period - 1]!)) mismatches.push(period);
      }
      expect(mismatches).toEqual([]);
    },
  );
});
