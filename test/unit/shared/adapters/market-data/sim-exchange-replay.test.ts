import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SimExchangeClient } from '../../../../../shared/adapters/market-data/sim-exchange-client';
import { startSimExchangeServer, type SimExchangeServer } from '../../../../../shared/adapters/market-data/sim-exchange-server';
import { createCsvReplayMarket, type CsvReplayMarket } from '../../../../../shared/market/csv-replay-market';
import type { Trade } from '../../../../../shared/market/market-types';
import { createSimMarkets, type SimPriceSource } from '../../../../../shared/market/sim-market';

const MINUTE = 60_000;
const START = Date.UTC(2025, 3, 1, 12);
const GOOG_CSV = resolve(__dirname, '../../../../../../shared/data/GOOG.csv');

describe('sim exchange server serving a CSV replay', () => {
  const made = createCsvReplayMarket(readFileSync(GOOG_CSV, 'utf8'), 'GOOG.csv', { symbol: 'SIM-GOOG', startMs: START, barMs: MINUTE, end: 'loop' }, 8);
  if (!made.ok) throw new Error(made.error.message);
  const goog: CsvReplayMarket = made.value;
  const markets = new Map<string, SimPriceSource>([...createSimMarkets(8), ['SIM-GOOG', goog]]);
  // Sim time runs 20 s per real 5 ms: a replayed row every 15 ms.
  let simNow = START + 10 * MINUTE;
  const tick = setInterval(() => (simNow += 20_000), 5);
  let server: SimExchangeServer;
  let client: SimExchangeClient;

  beforeAll(async () => {
    server = await startSimExchangeServer({ markets, clock: () => simNow, pushIntervalMs: 5 });
    client = new SimExchangeClient({ restUrl: server.restUrl, requestTimeoutMs: 2_000 });
    await client.start();
  });
  afterAll(async () => {
    clearInterval(tick);
    await client.close();
    await server.stop();
  });

  it('lists the replay next to the walk markets, with the tick and lot of its file', async () => {
    const listed = (await (await fetch(`${server.restUrl}/api/v1/markets`)).json()) as { symbol: string }[];
    expect(listed).toEqual(expect.arrayContaining([{ symbol: 'SIM-GOOG', tickSize: 0.01, lotSize: 1 }, expect.objectContaining({ symbol: 'SIM-BTC/USD' })]));
  });

  it('answers 1m OHLCV with the CSV rows, one per minute of sim time from the replay start', async () => {
    const bars = await client.fetchOhlcv('SIM-GOOG', '1m', START, 3);
    expect(bars).toEqual([
      { openTimeMs: START, open: 100, high: 104.06, low: 95.96, close: 100.34, volume: 22351900 },
      { openTimeMs: START + MINUTE, open: 101.01, high: 109.08, low: 100.5, close: 108.31, volume: 11428600 },
      { openTimeMs: START + 2 * MINUTE, open: 110.75, high: 113.48, low: 109.05, close: 109.4, volume: 9137200 },
    ]);
  });

  it('streams exactly the replay trades from the subscription on, in order, without gaps or repeats', async () => {
    const got: Trade[] = [];
    while (got.length < 100) got.push(...(await client.watchTrades('SIM-GOOG')).trades);
    const expected = goog.tradesBetween(got[0]!.timestampMs, got[got.length - 1]!.timestampMs + 1);
    const from = expected.findIndex((t) => t.id === got[0]!.id);
    expect(got).toEqual(expected.slice(from, from + got.length));
    await client.unwatchTrades('SIM-GOOG');
  });

  it('quotes the replay around its last trade', async () => {
    const quote = (await (await fetch(`${server.restUrl}/api/v1/quote?symbol=SIM-GOOG`)).json()) as { timeMs: number; bid: number; ask: number; mid: number; last: number };
    expect(quote.last).toBe(goog.lastTradeAt(quote.timeMs)!.price);
    expect(quote.mid).toBe(quote.last);
    expect(quote.bid).toBeLessThan(quote.ask);
  });
});
