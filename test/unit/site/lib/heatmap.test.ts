import type { RankedRunView, Statistics } from '../../../../shared/schemas/backtest-views';
import { buildHeatmap, cellColors, contrast } from '../../../../site/src/lib/heatmap';

const run = (index: number, values: Record<string, number>, sharpe: number | null, vol = 10): RankedRunView => ({
  rank: index + 1,
  index,
  values,
  stats: { sharpe, volatilityAnnPct: vol } as unknown as Statistics,
});

describe('buildHeatmap', () => {
  const axes = [
    { name: 'fast', values: [5, 10] },
    { name: 'slow', values: [20, 30] },
    { name: 'short', values: [false, true] },
  ];
  const runs = [run(0, { fast: 5, slow: 20 }, 0.5), run(1, { fast: 5, slow: 20 }, 0.9), run(2, { fast: 10, slow: 20 }, 0.1), run(3, { fast: 5, slow: 30 }, null)];

  it('puts the best run of each value pair in its cell, scored from worst (0) to best (1)', () => {
    const map = buildHeatmap(axes, runs, 'fast', 'slow', 'sharpe');
    expect(map.xs).toEqual([5, 10]);
    expect(map.ys).toEqual([20, 30]);
    expect(map.rows[0]!.map((c) => [c.run?.index, c.value, c.score])).toEqual([
      [1, 0.9, 1],
      [2, 0.1, 0],
    ]);
    expect(map.rows[1]!.map((c) => [c.run?.index, c.value, c.score])).toEqual([
      [3, null, null],
      [undefined, null, null],
    ]);
    expect([map.best, map.worst]).toEqual([0.9, 0.1]);
  });

  it('treats lower as better for volatility', () => {
    const map = buildHeatmap(axes, [run(0, { fast: 5, slow: 20 }, 1, 30), run(1, { fast: 10, slow: 20 }, 1, 10)], 'fast', 'slow', 'volatilityAnnPct');
    expect(map.rows[0]!.map((c) => c.score)).toEqual([0, 1]);
    expect(map.best).toBe(10);
  });
});

describe('cellColors', () => {
  it('keeps text at WCAG AA contrast (4.5:1) on every score', () => {
    const lum = (hex: string): number => (hex === '#000' ? 0 : 1);
    for (let i = 0; i <= 100; i++) {
      const { background, color } = cellColors(i / 100);
      const [h, s, l] = /hsl\((\d+) (\d+)% (\d+)%\)/.exec(background)!.slice(1).map(Number) as [number, number, number];
      // Recompute the background luminance independently from the rounded CSS value.
      const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
      const f = (n: number): number => {
        const k = (n + h / 30) % 12;
        return l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
      };
      const channel = (c: number): number => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      const bg = 0.2126 * channel(f(0)) + 0.7152 * channel(f(8)) + 0.0722 * channel(f(4));
      expect({ score: i / 100, ok: contrast(bg, lum(color)) >= 4.5 }).toEqual({ score: i / 100, ok: true });
    }
  });
});
