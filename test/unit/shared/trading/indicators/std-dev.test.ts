import { SD } from 'technicalindicators';
import { sma } from '../../../../../shared/trading/indicators/sma.js';
import { stdDev, stdDevInit, stdDevMean, stdDevUpdate } from '../../../../../shared/trading/indicators/std-dev.js';
import { IndicatorParamsError } from '../../../../../shared/trading/indicators/indicator-params.js';
import { DATASETS, compareAligned, relClose, sameBits } from './indicator-test-helpers.js';

const PERIODS = [2, 5, 20, 50];

describe('stdDev', () => {
  it('computes the population deviation by default on a hand-checked sequence', () => {
    // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, population variance 4.
    const out = stdDev([2, 4, 4, 4, 5, 5, 7, 9], { period: 8 });
    expect(out[7]).toBe(2);
    expect(Number.isNaN(out[6])).toBe(true);
  });

  it('divides by period - 1 with sample: true', () => {
    // [1, 2, 3, 4]: squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, sample variance 5/3.
    expect(stdDev([1, 2, 3, 4], { period: 4, sample: true })[3]).toBeCloseTo(Math.sqrt(5 / 3), 15);
  });

  it('returns exactly 0 for a constant window after a volatile one', () => {
    const values = [1, 100, -50, 3, 3, 3, 3, 3];
    const out = stdDev(values, { period: 3 });
    expect(Array.from(out.slice(5))).toEqual([0, 0, 0]);
  });

  it('keeps its mean bit-identical to sma', () => {
    const close = DATASETS[0]!.close;
    const state = stdDevInit({ period: 20 });
    const means = close.map((v) => (stdDevUpdate(state, v), stdDevMean(state)));
    expect(sameBits(Float64Array.from(means), sma(close, { period: 20 }))).toBe(true);
  });

  it('stays accurate on a tiny spread around a large level', () => {
    // Exactly representable values 1e9 + r / 2 with r = 2i mod 13: every window of 13 holds each r
    // in 0..12 once, so every deviation is sqrt(14) / 2 (a naive sum of squares loses it all).
    const values = Array.from({ length: 5_000 }, (_, i) => 1e9 + ((2 * i) % 13) / 2);
    const out = stdDev(values, { period: 13 });
    const wrong = Array.from(out.slice(12)).filter((v) => !relClose(v, Math.sqrt(14) / 2));
    expect(wrong).toEqual([]);
  });

  it.each(DATASETS.flatMap((d) => PERIODS.map((p) => [d.name, p, d.close] as const)))(
    'matches technicalindicators SD on %s close, period %i, to 1e-9 relative',
    (_name, period, close) => {
      const reference = SD.calculate({ period, values: close });
      expect(compareAligned(stdDev(close, { period }), reference, period - 1)).toEqual([]);
    },
  );

  it('scales the population deviation by sqrt(n / (n - 1)) for the sample one on GOOG', () => {
    const close = DATASETS[0]!.close;
    const population = stdDev(close, { period: 10 });
    const sample = stdDev(close, { period: 10, sample: true });
    const scaled = Array.from(population.slice(9), (v) => v * Math.sqrt(10 / 9));
    expect(compareAligned(sample, scaled, 9)).toEqual([]);
  });

  it('rejects a sample deviation of period 1', () => {
    expect(() => stdDevInit({ period: 1, sample: true })).toThrow(IndicatorParamsError);
  });
});
