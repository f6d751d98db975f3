import { Highest, Lowest } from 'technicalindicators';
import { donchian } from '../../../../../shared/trading/indicators/donchian.js';
import { DATASETS, compareAligned } from './indicator-test-helpers.js';

const PERIODS = [1, 2, 20, 55];

/** Deterministic pseudo-random walk with ties, so the deques see equal values and long runs. */
function walk(n: number): { high: number[]; low: number[] } {
  const high: number[] = [];
  const low: number[] = [];
  let x = 100;
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    x += Math.round(((seed / 2147483648) - 0.5) * 4);
    high.push(x + (seed % 3));
    low.push(x - (seed % 2));
  }
  return { high, low };
}

describe('donchian', () => {
  it('spans the highest high and lowest low of the last period bars on a hand-checked sequence', () => {
    const out = donchian([3, 5, 4, 2, 6], [1, 2, 0, 1, 3], { period: 3 });
    expect(Array.from(out.upper)).toEqual([NaN, NaN, 5, 5, 6]);
    expect(Array.from(out.lower)).toEqual([NaN, NaN, 0, 0, 0]);
    expect(Array.from(out.middle)).toEqual([NaN, NaN, 2.5, 2.5, 3]);
  });

  it('agrees with a brute-force window scan on a long walk with ties', () => {
    const { high, low } = walk(5_000);
    for (const period of [1, 3, 17, 64]) {
      const out = donchian(high, low, { period });
      for (let i = period - 1; i < high.length; i++) {
        const from = i - period + 1;
        expect(out.upper[i]).toBe(Math.max(...high.slice(from, i + 1)));
        expect(out.lower[i]).toBe(Math.min(...low.slice(from, i + 1)));
      }
    }
  });

  it.each(DATASETS.flatMap((d) => PERIODS.map((p) => [d.name, p, d] as const)))(
    'matches technicalindicators Highest(high) and Lowest(low) on %s, period %i, exactly',
    (_name, period, d) => {
      const out = donchian(d.high, d.low, { period });
      const exact = (a: number, b: number) => a === b;
      expect(compareAligned(out.upper, Highest.calculate({ period, values: d.high }), period - 1, exact)).toEqual([]);
      expect(compareAligned(out.lower, Lowest.calculate({ period, values: d.low }), period - 1, exact)).toEqual([]);
    },
  );
});
