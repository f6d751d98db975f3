import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createCsvReplayMarket, CsvReplayMarket, REPLAY_INVALID, type CsvReplayOptions } from '../../../../shared/market/csv-replay-market';
import type { Bar, Trade } from '../../../../shared/market/market-types';
import { parseOhlcvCsv } from '../../../../shared/trading/csv/ohlcv-csv-parser';
import type { BarSeries } from '../../../../shared/trading/types';

const DATA_DIR = resolve(__dirname, '../../../../../shared/data');
const MINUTE = 60_000;
const START = Date.UTC(2024, 0, 1);

function loadRows(name: string): BarSeries {
  const parsed = parseOhlcvCsv(readFileSync(resolve(DATA_DIR, `${name}.csv`), 'utf8'), `${name}.csv`);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const rowsOf = (series: BarSeries, barMs: number, startMs: number): Bar[] =>
  Array.from({ length: series.length }, (_, r) => ({
    openTimeMs: startMs + r * barMs,
    open: series.open[r]!,
    high: series.high[r]!,
    low: series.low[r]!,
    close: series.close[r]!,
    volume: series.volume[r]!,
  }));

const options = (overrides: Partial<CsvReplayOptions> = {}): CsvReplayOptions => ({ symbol: 'SIM-GOOG', startMs: START, barMs: MINUTE, end: 'loop', ...overrides });

/** What a bar builder makes of the trades: first, max, min, last, summed amounts. */
function aggregate(trades: readonly Trade[]): { open: number; high: number; low: number; close: number; volume: number } {
  return {
    open: trades[0]!.price,
    high: Math.max(...trades.map((t) => t.price)),
    low: Math.min(...trades.map((t) => t.price)),
    close: trades[trades.length - 1]!.price,
    volume: trades.reduce((sum, t) => sum + t.amount, 0),
  };
}

const CSV = ',Open,High,Low,Close,Volume\n2020-01-01,10,12,9,11,100\n2020-01-02,11,11.5,10.25,10.5,7\n2020-01-03,10.5,10.5,10.5,10.5,1\n';

function csvMarket(overrides: Partial<CsvReplayOptions> = {}, seed = 1): CsvReplayMarket {
  const made = createCsvReplayMarket(CSV, 'tiny.csv', options({ symbol: 'SIM-TINY', ...overrides }), seed);
  if (!made.ok) throw new Error(made.error.message);
  return made.value;
}

describe('CsvReplayMarket', () => {
  describe.each(['GOOG', 'EURUSD', 'BTCUSD'])('replaying %s.csv', (name) => {
    const series = loadRows(name);
    const market = new CsvReplayMarket(series, options({ symbol: `SIM-${name}`, end: 'stop' }), 7);
    const rows = rowsOf(series, MINUTE, START);

    it('replays every row as trades whose open, high, low and close are exactly the row', () => {
      const replayed = rows.map((row) => {
        const { open, high, low, close } = aggregate(market.tradesBetween(row.openTimeMs, row.openTimeMs + MINUTE));
        return { open, high, low, close };
      });
      expect(replayed).toEqual(rows.map(({ open, high, low, close }) => ({ open, high, low, close })));
    });

    it('splits each row volume into whole lots that add up to the row volume within half a lot', () => {
      const lot = market.spec.lotSize;
      const lotDecimals = Math.round(-Math.log10(lot));
      const offGrid: number[] = [];
      const wrongTotals: Bar[] = [];
      for (const row of rows) {
        const trades = market.tradesBetween(row.openTimeMs, row.openTimeMs + MINUTE);
        for (const t of trades) if (Number(t.amount.toFixed(lotDecimals)) !== t.amount) offGrid.push(t.amount);
        const lots = trades.reduce((s, t) => s + Math.round(t.amount / lot), 0);
        const volume = aggregate(trades).volume;
        if (lots !== Math.round(row.volume / lot) || Math.abs(volume - row.volume) > lot / 2 + row.volume * 1e-12) wrongTotals.push(row);
      }
      expect(offGrid).toEqual([]);
      expect(wrongTotals).toEqual([]);
    });

    it('answers OHLCV at the replay bar duration with the CSV rows themselves', () => {
      const until = START + rows.length * MINUTE - 1;
      const got: Bar[] = [];
      while (got.length < rows.length) got.push(...market.ohlcv('1m', START + got.length * MINUTE, 1000, until));
      expect(got).toEqual(rows);
    });
  });

  it('infers the tick and lot from the finest prices and volumes of the file', () => {
    expect(new CsvReplayMarket(loadRows('GOOG'), options(), 1).spec).toEqual({ symbol: 'SIM-GOOG', tickSize: 0.01, lotSize: 1 });
    expect(new CsvReplayMarket(loadRows('EURUSD'), options(), 1).spec).toMatchObject({ tickSize: 0.00001, lotSize: 1 });
    expect(new CsvReplayMarket(loadRows('BTCUSD'), options(), 1).spec).toMatchObject({ tickSize: 0.01, lotSize: 1e-8 });
  });

  it('yields trades inside their slot, in time order, within the row range, on the tick grid, with unique ids', () => {
    const market = new CsvReplayMarket(loadRows('GOOG'), options(), 3);
    const trades = market.tradesBetween(START, START + 50 * MINUTE);
    expect(trades).toHaveLength(50 * 30);
    for (let i = 1; i < trades.length; i++) expect(trades[i]!.timestampMs).toBeGreaterThanOrEqual(trades[i - 1]!.timestampMs);
    for (const t of trades) {
      const row = market.rowBar(Math.floor((t.timestampMs - START) / MINUTE))!;
      expect(t.price).toBeGreaterThanOrEqual(row.low);
      expect(t.price).toBeLessThanOrEqual(row.high);
      expect(Math.abs(t.price * 100 - Math.round(t.price * 100))).toBeLessThan(1e-6);
      expect(['buy', 'sell']).toContain(t.side);
    }
    expect(new Set(trades.map((t) => t.id)).size).toBe(trades.length);
    // The open trades at the very start of its slot.
    expect(trades[0]).toMatchObject({ timestampMs: START, price: 100 });
  });

  it('is deterministic for a seed, whatever the evaluation order, and the seed only changes the path inside a bar', () => {
    const rows = loadRows('GOOG');
    const a = new CsvReplayMarket(rows, options(), 42);
    const b = new CsvReplayMarket(rows, options(), 42);
    b.tradesBetween(START + 100 * MINUTE, START + 101 * MINUTE);
    b.lastTradeAt(START + 7 * MINUTE + 5);
    expect(a.tradesBetween(START, START + 10 * MINUTE)).toEqual(b.tradesBetween(START, START + 10 * MINUTE));
    expect(a.quoteAt(START + 3 * MINUTE + 12_345)).toEqual(b.quoteAt(START + 3 * MINUTE + 12_345));

    const other = new CsvReplayMarket(rows, options(), 43);
    expect(other.tradesBetween(START, START + 10 * MINUTE)).not.toEqual(a.tradesBetween(START, START + 10 * MINUTE));
    expect(other.ohlcv('1m', START, 10, START + 10 * MINUTE)).toEqual(a.ohlcv('1m', START, 10, START + 10 * MINUTE));
  });

  it('splits time ranges without losing or repeating a trade', () => {
    const market = new CsvReplayMarket(loadRows('EURUSD'), options({ symbol: 'SIM-EURUSD' }), 9);
    const whole = market.tradesBetween(START, START + 3 * MINUTE);
    const parts = [...market.tradesBetween(START, START + 61_234), ...market.tradesBetween(START + 61_234, START + 3 * MINUTE)];
    expect(parts).toEqual(whole);
  });

  it('aggregates coarser buckets from whole rows and cut buckets from trades', () => {
    const market = new CsvReplayMarket(loadRows('GOOG'), options(), 5);
    const rows = rowsOf(loadRows('GOOG'), MINUTE, START);
    const [fiveMinutes] = market.ohlcv('5m', START, 1, START + 10 * MINUTE);
    const firstFive = rows.slice(0, 5);
    expect(fiveMinutes).toEqual({
      openTimeMs: START,
      open: firstFive[0]!.open,
      high: Math.max(...firstFive.map((r) => r.high)),
      low: Math.min(...firstFive.map((r) => r.low)),
      close: firstFive[4]!.close,
      volume: firstFive.reduce((s, r) => s + r.volume, 0),
    });
    // "Now" in the middle of row 2: the open bar holds that row's trades so far.
    const now = START + 2 * MINUTE + 25_000;
    const bars = market.ohlcv('1m', START, 10, now);
    expect(bars).toHaveLength(3);
    const soFar = aggregate(market.tradesBetween(START + 2 * MINUTE, now + 1));
    expect(bars[2]).toEqual({ openTimeMs: START + 2 * MINUTE, ...soFar });
  });

  it('starts the rows over after the last one when looping, with new trade ids', () => {
    const market = csvMarket({ end: 'loop' });
    const firstPass = market.tradesBetween(START, START + MINUTE);
    const secondPass = market.tradesBetween(START + 3 * MINUTE, START + 4 * MINUTE);
    expect(aggregate(secondPass)).toEqual(aggregate(firstPass));
    expect(secondPass.map((t) => t.id)).not.toEqual(firstPass.map((t) => t.id));
    expect(market.ohlcv('1m', START, 6, START + 6 * MINUTE - 1).map((b) => b.close)).toEqual([11, 10.5, 10.5, 11, 10.5, 10.5]);
  });

  it('goes quiet after the last row when stopping: no trades, quotes and flat bars at the last close', () => {
    const market = csvMarket({ end: 'stop' });
    const after = START + 3 * MINUTE;
    expect(market.tradesBetween(after, after + 60 * MINUTE)).toEqual([]);
    expect(market.lastTradeAt(after + 30 * MINUTE)?.price).toBe(10.5);
    expect(market.quoteAt(after + 30 * MINUTE).mid).toBe(10.5);
    expect(market.ohlcv('1m', after, 2, after + 5 * MINUTE)).toEqual([
      { openTimeMs: after, open: 10.5, high: 10.5, low: 10.5, close: 10.5, volume: 0 },
      { openTimeMs: after + MINUTE, open: 10.5, high: 10.5, low: 10.5, close: 10.5, volume: 0 },
    ]);
  });

  it('has no trades before its start and quotes the first open there', () => {
    const market = csvMarket();
    expect(market.tradesBetween(START - 10 * MINUTE, START)).toEqual([]);
    expect(market.lastTradeAt(START - 1)).toBeUndefined();
    expect(market.quoteAt(START - 1).mid).toBe(10);
    expect(market.ohlcv('1m', START - 10 * MINUTE, 1, START)[0]!.openTimeMs).toBe(START);
  });

  it('quotes around the last trade with at least a tick of spread', () => {
    const market = csvMarket();
    const at = START + MINUTE + 30_000;
    const last = market.lastTradeAt(at)!;
    expect(last.timestampMs).toBeLessThanOrEqual(at);
    expect(market.tradesBetween(last.timestampMs + 1, at + 1)).toEqual([]);
    const quote = market.quoteAt(at);
    expect(quote.mid).toBe(last.price);
    expect(quote.bid).toBeLessThanOrEqual(quote.mid - 0.01 + 1e-9);
    expect(quote.ask).toBeGreaterThanOrEqual(quote.mid + 0.01 - 1e-9);
  });

  it('gives extra path trades amount 0 when a row has fewer lots than the four trades its path needs', () => {
    const trades = csvMarket().tradesBetween(START + 2 * MINUTE, START + 3 * MINUTE);
    expect(trades.map((t) => t.amount)).toEqual([1, 0, 0, 0]);
    expect(trades.every((t) => t.price === 10.5)).toBe(true);
  });

  it('replays fewer trades than configured when the row has fewer lots, each at least one lot', () => {
    const trades = csvMarket({ tradesPerBar: 30 }).tradesBetween(START + MINUTE, START + 2 * MINUTE);
    expect(trades).toHaveLength(7);
    expect(trades.every((t) => t.amount === 1)).toBe(true);
    expect(aggregate(trades)).toEqual({ open: 11, high: 11.5, low: 10.25, close: 10.5, volume: 7 });
  });

  it('refuses a malformed CSV with the file and line of the first bad row', () => {
    const bad = ',Open,High,Low,Close,Volume\n2020-01-01,10,12,9,11,100\n2020-01-02,11,10,10.5,10.5,7\n';
    const made = createCsvReplayMarket(bad, 'bad.csv', options(), 1);
    expect(made.ok).toBe(false);
    if (made.ok) return;
    expect(made.error.code).toBe(REPLAY_INVALID);
    expect(made.error.message).toBe('bad.csv:3: high 10 is below low 10.5');
    const notCsv = createCsvReplayMarket('date,price\n2020-01-01,3\n', 'prices.csv', options(), 1);
    expect(!notCsv.ok && notCsv.error.message).toMatch(/^prices\.csv:1: unrecognised header/);
  });
});
