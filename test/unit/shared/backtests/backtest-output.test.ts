import { downsampleSeries, equitySeries } from '../../../../shared/backtests/backtest-output';

const times = (n: number): number[] => Array.from({ length: n }, (_, i) => 1_000 * (i + 1));

describe('equitySeries', () => {
  it('keeps every bar up to the point limit, with drawdown below the running peak in percent', () => {
    const eq = [100, 110, 99, 121, 115.5];
    const s = equitySeries(times(5), [1, 2, 3, 4, 5], eq, 10);
    expect(s.bucketBars).toBe(1);
    expect(s.timeMs).toEqual(times(5));
    expect(s.equity).toEqual(eq);
    expect(s.drawdownPct).toEqual([0, 0, -10, 0, -4.54545]);
    expect(s.bars).toBe(5);
  });

  it("buckets longer series to the limit, each point holding its bucket's last bar and deepest drawdown", () => {
    const eq = [100, 50, 100, 100, 80, 100, 100];
    const s = equitySeries(times(7), [1, 2, 3, 4, 5, 6, 7], eq, 3);
    expect(s.bucketBars).toBe(3);
    expect(s.timeMs).toEqual([3_000, 6_000, 7_000]);
    expect(s.close).toEqual([3, 6, 7]);
    expect(s.equity).toEqual([100, 100, 100]);
    expect(s.drawdownPct).toEqual([-50, -20, 0]);
  });

  it('marks a wiped-out account as 100% below its peak', () => {
    expect(equitySeries(times(3), [1, 1, 1], [100, 0, 0]).drawdownPct).toEqual([0, -100, -100]);
  });
});

describe('downsampleSeries', () => {
  it('re-buckets a stored series like bucketing the bars directly', () => {
    const n = 1_000;
    const eq = Array.from({ length: n }, (_, i) => 100 + Math.sin(i / 7) * 10 + i / 50);
    const full = equitySeries(times(n), times(n), eq, 100_000);
    const direct = equitySeries(times(n), times(n), eq, 100);
    expect(downsampleSeries(full, 100)).toEqual(direct);
  });

  it('returns the series unchanged when it is short enough', () => {
    const s = equitySeries(times(10), times(10), times(10));
    expect(downsampleSeries(s, 100)).toBe(s);
  });
});
