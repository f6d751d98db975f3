import { ATR } from 'technicalindicators';
import { atr } from '../../../../../shared/trading/indicators/atr.js';
import { DATASETS, compareAligned } from './indicator-test-helpers.js';

const PERIODS = [1, 5, 14, 30];

describe('atr', () => {
  it('averages true ranges from the second bar and smooths them the Wilder way', () => {
    const high = [10, 12, 11, 15, 13];
    const low = [8, 9, 9, 12, 12];
    const close = [9, 11, 10, 14, 12.5];
    // TR from bar 1: max(3, |12-9|, |9-9|) = 3; max(2, 0, 2) = 2; max(3, 5, 2) = 5; max(1, 1, 2) = 2.
    // period 2: seed (3 + 2) / 2 = 2.5 at index 2; (5 - 2.5) / 2 + 2.5 = 3.75; (2 - 3.75) / 2 + 3.75 = 2.875.
    expect(Array.from(atr(high, low, close, { period: 2 }))).toEqual([NaN, NaN, 2.5, 3.75, 2.875]);
  });

  it('refuses columns of different lengths', () => {
    expect(() => atr([1, 2], [1], [1, 2], { period: 1 })).toThrow(RangeError);
  });

  it.each(DATASETS.flatMap((d) => PERIODS.map((p) => [d.name, p, d] as const)))(
    'matches technicalindicators ATR on %s, period %i, to 1e-9 relative',
    (_name, period, d) => {
      const reference = ATR.calculate({ period, high: d.high, low: d.low, close: d.close });
      expect(compareAligned(atr(d.high, d.low, d.close, { period }), reference, period)).toEqual([]);
    },
  );
});
