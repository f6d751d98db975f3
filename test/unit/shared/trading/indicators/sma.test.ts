import { SMA } from 'technicalindicators';
import { sma, smaInit, smaUpdate } from '../../../../../shared/trading/indicators/sma.js';
import { IndicatorParamsError } from '../../../../../shared/trading/indicators/indicator-params.js';
import { DATASETS, compareAligned, jsonRoundTrip, sameBits } from './indicator-test-helpers.js';

const PERIODS = [1, 2, 10, 30, 200];

describe('sma', () => {
  it('averages the last period values from index period - 1 on a hand-checked sequence', () => {
    const out = sma([1, 2, 3, 4, 5, 6], { period: 3 });
    expect(Array.from(out)).toEqual([NaN, NaN, 2, 3, 4, 5]);
  });

  it('returns the input itself for period 1', () => {
    expect(Array.from(sma([4, -1, 2.5], { period: 1 }))).toEqual([4, -1, 2.5]);
  });

  it('stays exact over many windows of values whose running sum would drift', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => (i < 5_000 ? 1e12 + i * 0.1 : 0.1 * (i % 7)));
    const out = sma(values, { period: 5 });
    const last = values.slice(-5).reduce((s, v) => s + v, 0) / 5;
    expect(out[out.length - 1]).toBeCloseTo(last, 12);
  });

  it.each(DATASETS.flatMap((d) => PERIODS.map((p) => [d.name, p, d.close] as const)))(
    'matches technicalindicators SMA on %s close, period %i, to 1e-9 relative',
    (_name, period, close) => {
      const reference = SMA.calculate({ period, values: close });
      expect(compareAligned(sma(close, { period }), reference, period - 1)).toEqual([]);
    },
  );

  it.each(DATASETS.map((d) => [d.name, d.close] as const))(
    'gives bit-identical results streaming, batch, and across a JSON round trip on %s',
    (_name, close) => {
      const batch = sma(close, { period: 20 });
      let state = smaInit({ period: 20 });
      const streamed = new Float64Array(close.length);
      for (let i = 0; i < close.length; i++) {
        if (i === Math.floor(close.length / 2) || i === 7) state = jsonRoundTrip(state);
        streamed[i] = smaUpdate(state, close[i]!);
      }
      expect(sameBits(streamed, batch)).toBe(true);
    },
  );

  it.each([0, -3, 2.5, NaN])('rejects period %p with a coded error', (period) => {
    expect(() => smaInit({ period })).toThrow(IndicatorParamsError);
    expect(() => sma([1, 2], { period })).toThrow(/period/);
  });
});
