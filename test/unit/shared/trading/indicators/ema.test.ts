import { EMA } from 'technicalindicators';
import { ema, emaInit, emaUpdate } from '../../../../../shared/trading/indicators/ema.js';
import { IndicatorParamsError } from '../../../../../shared/trading/indicators/indicator-params.js';
import { DATASETS, compareAligned, jsonRoundTrip, sameBits } from './indicator-test-helpers.js';

const PERIODS = [1, 2, 9, 12, 26, 100];

describe('ema', () => {
  it('seeds with the simple average of the first period values, then smooths with 2 / (period + 1)', () => {
    // period 3, alpha 0.5: seed (2 + 4 + 6) / 3 = 4; then (8 - 4) * 0.5 + 4 = 6; (0 - 6) * 0.5 + 6 = 3.
    expect(Array.from(ema([2, 4, 6, 8, 0], { period: 3 }))).toEqual([NaN, NaN, 4, 6, 3]);
  });

  it('returns the input itself for period 1', () => {
    expect(Array.from(ema([3, 1, 2], { period: 1 }))).toEqual([3, 1, 2]);
  });

  it.each(DATASETS.flatMap((d) => PERIODS.map((p) => [d.name, p, d.close] as const)))(
    'matches technicalindicators EMA on %s close, period %i, to 1e-9 relative',
    (_name, period, close) => {
      const reference = EMA.calculate({ period, values: close });
      expect(compareAligned(ema(close, { period }), reference, period - 1)).toEqual([]);
    },
  );

  it.each(DATASETS.map((d) => [d.name, d.close] as const))(
    'gives bit-identical results streaming, batch, and across a JSON round trip on %s',
    (_name, close) => {
      const batch = ema(close, { period: 12 });
      let state = emaInit({ period: 12 });
      const streamed = new Float64Array(close.length);
      for (let i = 0; i < close.length; i++) {
        if (i === Math.floor(close.length / 2) || i === 5) state = jsonRoundTrip(state);
        streamed[i] = emaUpdate(state, close[i]!);
      }
      expect(sameBits(streamed, batch)).toBe(true);
    },
  );

  it('keeps its state free of NaN during warmup so JSON preserves it', () => {
    const state = emaInit({ period: 5 });
    emaUpdate(state, 1);
    expect(Object.values(state).every((v) => Number.isFinite(v))).toBe(true);
  });

  it.each([0, 1.5, -1])('rejects period %p with a coded error', (period) => {
    expect(() => emaInit({ period })).toThrow(IndicatorParamsError);
  });
});
