import type { BarBatch, BarSink } from '../../../shared/adapters/market-data/bar-sink';
import type { Bar, Trade } from '../../../shared/market/market-types';
import { BarDispatcher } from '../../../gateway/bar-dispatcher';
import { GatewayMetrics } from '../../../gateway/gateway-metrics';
import { MarketFeed } from '../../../gateway/market-feed';
import { FakeExchange, settle, until } from './fake-exchange';

const M = 60_000;
const T0 = Date.UTC(2025, 0, 6, 10);
const tr = (minute: number, second: number, price: number): Trade => ({ timestampMs: T0 + minute * M + second * 1_000, price, amount: 1 });
const exBar = (minute: number, close: number): Bar => ({ openTimeMs: T0 + minute * M, open: close, high: close, low: close, close, volume: 7 });

function setup(options: { history?: Bar } = {}) {
  const exchange = new FakeExchange();
  const delivered: BarBatch[] = [];
  const sink: BarSink = { name: 'rec', deliver: (b) => Promise.resolve(void delivered.push(b)) };
  const metrics = new GatewayMetrics(() => Date.now());
  const dispatcher = new BarDispatcher({ sinks: [sink], metrics, log: () => undefined, retry: { baseMs: 2, maxMs: 4 }, random: () => 0.5 });
  const feed = new MarketFeed({ exchange: 'fake', symbol: 'X/USD' }, 'fake:X/USD', {
    exchange: () => Promise.resolve(exchange),
    timeframes: ['1m'],
    dispatcher,
    history: options.history ? { latest: () => Promise.resolve(options.history) } : undefined,
    fanout: undefined,
    metrics,
    log: () => undefined,
    reconnect: { baseMs: 4, maxMs: 8 },
    retry: { baseMs: 2, maxMs: 4 },
    random: () => 0.5,
    nowMs: () => Date.now(),
    maxBackfillBars: 1_000,
    closeGraceMs: 1_000,
  });
  const bars = (): Bar[] => delivered.flatMap((b) => b.bars);
  const opens = (): number[] => bars().map((b) => (b.openTimeMs - T0) / M);
  return { exchange, feed, metrics, dispatcher, bars, opens };
}

describe('MarketFeed', () => {
  it('emits the first (partial) bar as the exchange has it, then the bars it built', async () => {
    const { exchange, feed, opens, bars } = setup();
    exchange.bars.set('1m', [exBar(0, 99), exBar(1, 100)]);
    feed.start();
    exchange.push('X/USD', [tr(0, 30, 100), tr(1, 0, 101), tr(1, 30, 103)]);
    exchange.push('X/USD', [tr(2, 1, 104)]);
    await until(() => opens().length === 2);
    expect(opens()).toEqual([0, 1]);
    expect(bars()[0]).toEqual(exBar(0, 99));
    expect(bars()[1]).toMatchObject({ open: 101, high: 103, close: 103, volume: 2 });
    await feed.stop();
  });

  it('after a failed watch, backfills the missed bars from the exchange before newer ones', async () => {
    const { exchange, feed, opens, bars, metrics } = setup();
    exchange.bars.set('1m', [0, 1, 2, 3, 4, 5].map((m) => exBar(m, 200 + m)));
    feed.start();
    exchange.push('X/USD', [tr(0, 10, 1), tr(1, 0, 2)]);
    exchange.fail('X/USD');
    exchange.push('X/USD', [tr(4, 20, 5), tr(5, 0, 6)]);
    exchange.push('X/USD', [tr(6, 0, 7)]);
    await until(() => opens().length >= 6);
    expect(opens()).toEqual([0, 1, 2, 3, 4, 5]);
    // Bars 1 and 4 overlap the outage, 2 and 3 had no trade at all: all come from the exchange.
    expect(bars().slice(1, 5)).toEqual([1, 2, 3, 4].map((m) => exBar(m, 200 + m)));
    expect(bars()[5]).toMatchObject({ open: 6, close: 6, volume: 1 });
    expect(metrics.counters).toMatchObject({ disconnects: 1, reconnects: 1 });
    expect(feed.status.state).toBe('connected');
    await feed.stop();
  });

  it('treats a batch the adapter marks as resumed like a drop', async () => {
    const { exchange, feed, opens, bars, metrics } = setup();
    exchange.bars.set('1m', [0, 1, 2, 3].map((m) => exBar(m, 300 + m)));
    feed.start();
    exchange.push('X/USD', [tr(0, 10, 1), tr(1, 0, 2)]);
    exchange.push('X/USD', [tr(2, 30, 3)], true);
    exchange.push('X/USD', [tr(3, 0, 4)]);
    await until(() => opens().length >= 3);
    expect(opens()).toEqual([0, 1, 2]);
    expect(bars()[1]).toEqual(exBar(1, 301));
    expect(bars()[2]).toEqual(exBar(2, 302));
    expect(metrics.counters.disconnects).toBe(1);
    await feed.stop();
  });

  it('continues after the last stored bar, backfilling what a stopped gateway missed', async () => {
    const { exchange, feed, opens } = setup({ history: exBar(-3, 50) });
    exchange.bars.set('1m', [-2, -1, 0].map((m) => exBar(m, 60 + m)));
    feed.start();
    exchange.push('X/USD', [tr(0, 10, 1), tr(1, 0, 2)]);
    await until(() => opens().length >= 3);
    expect(opens()).toEqual([-2, -1, 0]);
    await feed.stop();
  });

  it('retries a failed backfill fetch and holds newer bars back meanwhile', async () => {
    const { exchange, feed, opens, metrics } = setup();
    exchange.bars.set('1m', [exBar(0, 10)]);
    exchange.failFetches = 2;
    feed.start();
    exchange.push('X/USD', [tr(0, 10, 1), tr(1, 0, 2), tr(2, 0, 3)]);
    await until(() => opens().length >= 2);
    expect(opens()).toEqual([0, 1]);
    expect(metrics.counters.backfillErrors).toBe(2);
    await feed.stop();
  });

  it('closes a quiet market\'s bar by estimated exchange time', async () => {
    const { exchange, feed, opens } = setup();
    exchange.bars.set('1m', [exBar(0, 10)]);
    feed.start();
    exchange.push('X/USD', [tr(0, 10, 1), tr(1, 59, 2)]);
    await settle(5);
    expect(opens()).toEqual([0]);
    // Pretend 2 s passed locally since the last trade at 1:59: exchange time is 2:01, past the grace.
    feed.closeByTime(Date.now() + 2_000);
    await until(() => opens().length === 2);
    expect(opens()).toEqual([0, 1]);
    await feed.stop();
  });

  it('unsubscribes on stop and watches no more', async () => {
    const { exchange, feed } = setup();
    feed.start();
    await settle(5);
    await feed.stop();
    expect(exchange.unwatched).toEqual(['X/USD']);
    const calls = exchange.watchCalls;
    await settle(20);
    expect(exchange.watchCalls).toBe(calls);
    expect(feed.status.state).toBe('stopped');
  });
});
