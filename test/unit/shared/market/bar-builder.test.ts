import { BarBuilder, type ClosedBar } from '../../../../shared/market/bar-builder';
import type { Trade } from '../../../../shared/market/market-types';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 6, 10, 0, 0);
const trade = (offsetMs: number, price: number, amount = 1): Trade => ({ timestampMs: T0 + offsetMs, price, amount });
const oneMinute = (closed: readonly ClosedBar[]) => closed.filter((c) => c.timeframe === '1m');

describe('BarBuilder', () => {
  it('builds OHLCV from trades by exchange timestamp and closes a bar when a later bucket starts', () => {
    const b = new BarBuilder({ timeframes: ['1m'] });
    expect(b.addTrade(trade(1_000, 100, 2))).toEqual([]);
    b.addTrade(trade(20_000, 105, 1));
    b.addTrade(trade(40_000, 95, 0.5));
    b.addTrade(trade(59_999, 101, 1));
    const closed = b.addTrade(trade(MIN + 1, 102, 3));
    expect(closed).toEqual([{ timeframe: '1m', bar: { openTimeMs: T0, open: 100, high: 105, low: 95, close: 101, volume: 4.5 }, complete: false }]);
    expect(b.openBar('1m')).toMatchObject({ openTimeMs: T0 + MIN, open: 102, volume: 3, complete: true });
  });

  it('marks only the first bar incomplete: later bars saw every trade of their bucket', () => {
    const b = new BarBuilder({ timeframes: ['1m'] });
    b.addTrade(trade(5_000, 100));
    b.addTrade(trade(MIN + 5, 101));
    const closed = b.addTrade(trade(2 * MIN + 5, 102));
    expect(closed.map((c) => c.complete)).toEqual([true]);
  });

  it('emits flat bars at the previous close for buckets without trades while connected', () => {
    const b = new BarBuilder({ timeframes: ['1m'] });
    b.addTrade(trade(0, 100));
    b.addTrade(trade(MIN, 110));
    const closed = b.addTrade(trade(4 * MIN + 1, 120));
    expect(closed.map((c) => [c.bar.openTimeMs - T0, c.bar.open, c.bar.close, c.bar.volume, c.complete])).toEqual([
      [MIN, 110, 110, 1, true],
      [2 * MIN, 110, 110, 0, true],
      [3 * MIN, 110, 110, 0, true],
    ]);
  });

  it('closes bars by exchange time for a quiet market and keeps filling flat bars as time passes', () => {
    const b = new BarBuilder({ timeframes: ['1m', '5m'] });
    b.addTrade(trade(0, 100));
    b.addTrade(trade(MIN, 101));
    expect(b.closeUntil(T0 + 2 * MIN - 1)).toEqual([]);
    expect(oneMinute(b.closeUntil(T0 + 2 * MIN)).map((c) => c.bar.openTimeMs - T0)).toEqual([MIN]);
    expect(oneMinute(b.closeUntil(T0 + 4 * MIN + 30_000)).map((c) => [c.bar.openTimeMs - T0, c.bar.volume])).toEqual([
      [2 * MIN, 0],
      [3 * MIN, 0],
    ]);
    const next = b.addTrade(trade(5 * MIN + 1, 99));
    expect(next.map((c) => [c.timeframe, c.bar.openTimeMs - T0, c.complete])).toEqual([
      ['1m', 4 * MIN, true],
      ['5m', 0, false],
    ]);
  });

  it('does not invent bars across a gap: the bars around it are incomplete and the hole is left for the backfill', () => {
    const b = new BarBuilder({ timeframes: ['1m'] });
    b.addTrade(trade(0, 100));
    b.addTrade(trade(MIN + 10, 101));
    b.markGap();
    expect(b.closeUntil(T0 + 10 * MIN)).toEqual([]);
    const closed = b.addTrade(trade(4 * MIN + 10, 104));
    expect(closed.map((c) => [c.bar.openTimeMs - T0, c.complete])).toEqual([[MIN, false]]);
    expect(b.openBar('1m')?.complete).toBe(false);
    expect(b.addTrade(trade(5 * MIN, 105)).map((c) => [c.bar.openTimeMs - T0, c.complete])).toEqual([[4 * MIN, false]]);
    expect(b.addTrade(trade(6 * MIN, 106)).map((c) => c.complete)).toEqual([true]);
  });

  it('drops trades of a bucket that already closed and counts them as late', () => {
    const b = new BarBuilder({ timeframes: ['1m'] });
    b.addTrade(trade(0, 100));
    b.addTrade(trade(MIN, 101));
    expect(b.addTrade(trade(30_000, 90))).toEqual([]);
    expect(b.lateTrades).toBe(1);
    expect(b.openBar('1m')).toMatchObject({ low: 101 });
  });

  it('aligns every timeframe to UTC boundaries (4h at 00/04/08…, 1d at midnight)', () => {
    const b = new BarBuilder();
    b.addTrade({ timestampMs: Date.UTC(2025, 0, 6, 10, 17, 3), price: 1, amount: 1 });
    expect(b.openBar('4h')?.openTimeMs).toBe(Date.UTC(2025, 0, 6, 8));
    expect(b.openBar('1d')?.openTimeMs).toBe(Date.UTC(2025, 0, 6));
    expect(b.openBar('15m')?.openTimeMs).toBe(Date.UTC(2025, 0, 6, 10, 15));
  });

  it('treats a silence longer than maxFlatFill as a gap rather than inventing thousands of bars', () => {
    const b = new BarBuilder({ timeframes: ['1m'], maxFlatFill: 3 });
    b.addTrade(trade(0, 100));
    b.addTrade(trade(MIN, 100));
    const closed = b.addTrade(trade(10 * MIN, 100));
    expect(closed.map((c) => c.bar.openTimeMs - T0)).toEqual([MIN]);
    expect(b.openBar('1m')?.complete).toBe(false);
  });
});
