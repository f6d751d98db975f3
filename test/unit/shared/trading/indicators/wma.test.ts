import { WMA } from 'technicalindicators';
import { wma } from '../../../../../shared/trading/indicators/wma.js';
import { DATASETS, compareAligned } from './indicator-test-helpers.js';

const PERIODS = [1, 2, 10, 30, 100];

describe('wma', () => {
  it('weights the newest value by period on a hand-checked sequence', () => {
    // period 3: (1*1 + 2*2 + 3*3) / 6 = 14/6; (2 + 6 + 12) / 6 = 20/6; (3 + 8 + 0) / 6 = 11/6.
    expect(Array.from(wma([1, 2, 3, 4, 0], { period: 3 }))).toEqual([NaN, NaN, 14 / 6, 20 / 6, 11 / 6]);
  });

  it('stays exact after long stretches of values of very different magnitude', () => {
    const values = Array.from({ length: 3_000 }, (_, i) => (i < 1_500 ? 1e13 + i : (i % 5) + 0.5));
    const out = wma(values, { period: 4 });
    const [a, b, c, d] = values.slice(-4) as [number, number, number, number];
    expect(out[out.length - 1]).toBeCloseTo((a + 2 * b + 3 * c + 4 * d) / 10, 12);
  });

  it.each(DATASETS.flatMap((d) => PERIODS.map((p) => [d.name, p, d.close] as const)))(
    'matches technicalindicators WMA on %s close, period %i, to 1e-9 relative',
    (_name, period, close) => {
      const reference = WMA.calculate({ period, values: close });
      expect(compareAligned(wma(close, { period }), reference, period - 1)).toEqual([]);
    },
  );
});
