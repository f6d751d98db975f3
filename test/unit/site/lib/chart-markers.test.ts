import type { Trade } from '../../../../shared/schemas/backtest-views';
import { markerSeries, pointIndex } from '../../../../site/src/lib/chart-markers';

const trade = (side: 'long' | 'short', entryTimeMs: number, exitTimeMs: number, exitReason = 'signal'): Trade => ({
  side,
  quantity: 1,
  entryBar: 0,
  entryTimeMs,
  entryPrice: entryTimeMs / 10,
  exitBar: 0,
  exitTimeMs,
  exitPrice: exitTimeMs / 10,
  entryFee: 0,
  exitFee: 0,
  pnl: 0,
  returnFraction: 0,
  exitReason,
});

describe('chart markers', () => {
  it('finds the point whose bucket holds a bar (the first point at or after its time)', () => {
    const points = [30, 60, 90];
    expect([10, 30, 31, 60, 90].map((t) => pointIndex(points, t))).toEqual([0, 0, 1, 1, 2]);
  });

  it('marks entries by side and exits, but no exit for positions still open', () => {
    const m = markerSeries([30, 60, 90], [trade('long', 10, 50), trade('short', 70, 90)], [trade('long', 90, 90, 'open')]);
    expect(m.longEntry).toEqual([1, null, 9]);
    expect(m.shortEntry).toEqual([null, null, 7]);
    expect(m.exit).toEqual([null, 5, 9]);
  });
});
