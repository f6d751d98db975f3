import { createSimMarkets, SIM_GENESIS_MS, SIM_MARKETS, SimMarket, simTimeMs } from '../../../../shared/market/sim-market';

const HOUR = 3_600_000;
const T = Date.UTC(2025, 5, 2, 14, 0, 0);
const btcSpec = SIM_MARKETS.find((m) => m.symbol === 'SIM-BTC/USD')!;

describe('SimMarket', () => {
  it('is deterministic for a seed: two instances (gateway, paper exchange) see the same trades and quotes', () => {
    const a = new SimMarket(btcSpec, 42);
    const b = new SimMarket(btcSpec, 42);
    // Different evaluation order must not matter.
    b.tradesBetween(T + HOUR, T + HOUR + 1_000);
    expect(a.tradesBetween(T, T + 60_000)).toEqual(b.tradesBetween(T, T + 60_000));
    expect(a.quoteAt(T + 12_345)).toEqual(b.quoteAt(T + 12_345));
    expect(new SimMarket(btcSpec, 43).tradesBetween(T, T + 60_000)).not.toEqual(a.tradesBetween(T, T + 60_000));
  });

  it('yields trades in time order, on the tick and lot grid, with sides and unique ids', () => {
    const trades = new SimMarket(btcSpec, 1).tradesBetween(T, T + 10 * 60_000);
    expect(trades.length).toBeGreaterThan(10 * 60 * btcSpec.tradesPerSecond * 0.8);
    expect(trades.length).toBeLessThan(10 * 60 * btcSpec.tradesPerSecond * 1.2);
    for (let i = 1; i < trades.length; i++) expect(trades[i]!.timestampMs).toBeGreaterThanOrEqual(trades[i - 1]!.timestampMs);
    for (const t of trades) {
      expect(Math.abs(t.price / btcSpec.tickSize - Math.round(t.price / btcSpec.tickSize))).toBeLessThan(1e-6);
      expect(t.amount).toBeGreaterThanOrEqual(btcSpec.lotSize);
      expect(['buy', 'sell']).toContain(t.side);
    }
    expect(new Set(trades.map((t) => t.id)).size).toBe(trades.length);
  });

  it('splits time ranges without losing or repeating a trade', () => {
    const m = new SimMarket(btcSpec, 9);
    const whole = m.tradesBetween(T, T + 5_000);
    const parts = [...m.tradesBetween(T, T + 1_234), ...m.tradesBetween(T + 1_234, T + 5_000)];
    expect(parts).toEqual(whole);
  });

  const annualizedVolatility = (mids: readonly number[], periodsPerYear: number): number => {
    const returns = mids.slice(1).map((p, i) => Math.log(p / mids[i]!));
    const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
    return Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (returns.length - 1)) * Math.sqrt(periodsPerYear);
  };

  it('has about the configured volatility over hours (60 days) and within hours (6 hours of minutes)', () => {
    const m = new SimMarket(btcSpec, 3);
    const hourly = annualizedVolatility(Array.from({ length: 24 * 60 + 1 }, (_, h) => m.quoteAt(T + h * HOUR).mid), 8_766);
    const minutely = annualizedVolatility(Array.from({ length: 6 * 60 + 1 }, (_, i) => m.quoteAt(T + 30_000 + i * 60_000).mid), 8_766 * 60);
    for (const v of [hourly, minutely]) {
      expect(v).toBeGreaterThan(btcSpec.annualVolatility * 0.8);
      expect(v).toBeLessThan(btcSpec.annualVolatility * 1.2);
    }
  });

  it('answers OHLCV that aggregates exactly its trades, with the open bar cut at "now"', () => {
    const m = new SimMarket(btcSpec, 4);
    const [bar, partial] = m.ohlcv('1m', T, 5, T + 90_000);
    const trades = m.tradesBetween(T, T + 60_000);
    expect(bar).toEqual({
      openTimeMs: T,
      open: trades[0]!.price,
      high: Math.max(...trades.map((t) => t.price)),
      low: Math.min(...trades.map((t) => t.price)),
      close: trades[trades.length - 1]!.price,
      volume: trades.reduce((s, t) => s + t.amount, 0),
    });
    expect(partial!.close).toBe(m.lastTradeAt(T + 90_000)!.price);
    expect(m.ohlcv('1m', T, 5, T + 90_000)).toHaveLength(2);
  });

  it('builds multi-hour bars consistent with the hour bars they span', () => {
    const m = new SimMarket(SIM_MARKETS.find((s) => s.symbol === 'SIM-AAPL')!, 5);
    const start = Date.UTC(2025, 5, 2, 8);
    const [fourHours] = m.ohlcv('4h', start, 1, start + 4 * HOUR);
    const hours = m.ohlcv('1h', start, 4, start + 4 * HOUR);
    expect(hours).toHaveLength(4);
    expect(fourHours!.open).toBe(hours[0]!.open);
    expect(fourHours!.close).toBe(hours[3]!.close);
    expect(fourHours!.high).toBe(Math.max(...hours.map((h) => h.high)));
    expect(fourHours!.low).toBe(Math.min(...hours.map((h) => h.low)));
    expect(fourHours!.volume).toBeCloseTo(hours.reduce((s, h) => s + h.volume, 0), 6);
  });

  it('keeps the quote spread around the mid and the last trade at or before the asked time', () => {
    const m = new SimMarket(btcSpec, 6);
    const q = m.quoteAt(T);
    expect(q.bid).toBeLessThan(q.mid);
    expect(q.ask).toBeGreaterThan(q.mid);
    expect(m.lastTradeAt(T)!.timestampMs).toBeLessThanOrEqual(T);
  });

  it('has no trades before genesis', () => {
    expect(new SimMarket(btcSpec).tradesBetween(SIM_GENESIS_MS - 60_000, SIM_GENESIS_MS)).toEqual([]);
  });
});

describe('sim clock and markets', () => {
  it('maps real time to sim time with an anchor and a speed', () => {
    expect(simTimeMs({ anchorRealMs: 1_000, anchorSimMs: 50_000, speed: 60 }, 2_000)).toBe(110_000);
  });

  it('offers SIM-BTC/USD, SIM-ETH/USD and SIM-AAPL by default', () => {
    expect([...createSimMarkets().keys()]).toEqual(['SIM-BTC/USD', 'SIM-ETH/USD', 'SIM-AAPL']);
  });
});
