import { BarRejectedError, type BarBatch, type BarSink } from '../../../shared/adapters/market-data/bar-sink';
import { BarDispatcher } from '../../../gateway/bar-dispatcher';
import { GatewayMetrics } from '../../../gateway/gateway-metrics';

const batch = (market: string, timeframe: '1m' | '5m', ...opens: number[]): BarBatch => ({
  market: market as BarBatch['market'],
  exchange: 'sim',
  symbol: market.split(':')[1]!,
  timeframe,
  bars: opens.map((o) => ({ openTimeMs: o, open: 1, high: 1, low: 1, close: 1, volume: 0 })),
});

function recordingSink(behaviour: (b: BarBatch, call: number) => Promise<void> = () => Promise.resolve()): BarSink & { delivered: BarBatch[] } {
  const delivered: BarBatch[] = [];
  let calls = 0;
  return {
    name: 'rec',
    delivered,
    async deliver(b) {
      await behaviour(b, calls++);
      delivered.push(b);
    },
  };
}

const setup = (sink: BarSink, maxBarsPerDelivery?: number) => {
  const metrics = new GatewayMetrics(() => 0);
  const logs: string[] = [];
  const dispatcher = new BarDispatcher({ sinks: [sink], metrics, log: (l, m) => logs.push(`${l} ${m}`), retry: { baseMs: 4, maxMs: 8 }, random: () => 0.5, maxBarsPerDelivery });
  return { dispatcher, metrics, logs };
};

describe('BarDispatcher', () => {
  it('delivers in order per market and timeframe, merging what queued up behind a delivery', async () => {
    let release: () => void = () => undefined;
    const sink = recordingSink((_, call) => (call === 0 ? new Promise<void>((r) => (release = r)) : Promise.resolve()));
    const { dispatcher } = setup(sink);
    dispatcher.dispatch(batch('sim:A', '1m', 1));
    dispatcher.dispatch(batch('sim:A', '1m', 2));
    dispatcher.dispatch(batch('sim:A', '1m', 3));
    release();
    await dispatcher.idle();
    expect(sink.delivered.map((b) => b.bars.map((x) => x.openTimeMs))).toEqual([[1], [2, 3]]);
  });

  it('caps merged deliveries at maxBarsPerDelivery', async () => {
    let release: () => void = () => undefined;
    const sink = recordingSink((_, call) => (call === 0 ? new Promise<void>((r) => (release = r)) : Promise.resolve()));
    const { dispatcher } = setup(sink, 2);
    for (const o of [1, 2, 3, 4, 5]) dispatcher.dispatch(batch('sim:A', '1m', o));
    release();
    await dispatcher.idle();
    expect(sink.delivered.map((b) => b.bars.length)).toEqual([1, 2, 2]);
  });

  it('retries a failed delivery with backoff and does not deliver later bars first', async () => {
    const sink = recordingSink((_, call) => (call < 2 ? Promise.reject(new Error('503')) : Promise.resolve()));
    const { dispatcher, metrics } = setup(sink);
    dispatcher.dispatch(batch('sim:A', '1m', 1));
    dispatcher.dispatch(batch('sim:A', '1m', 2));
    await dispatcher.idle();
    expect(sink.delivered.flatMap((b) => b.bars.map((x) => x.openTimeMs))).toEqual([1, 2]);
    expect(metrics.sink('rec')).toMatchObject({ retries: 2, delivered: 2, pending: 0 });
  });

  it('skips a batch the sink rejects for good, logs it, and goes on', async () => {
    const sink = recordingSink((b) => (b.bars[0]!.openTimeMs === 1 ? Promise.reject(new BarRejectedError('400 bad bar')) : Promise.resolve()));
    const { dispatcher, metrics, logs } = setup(sink, 1);
    dispatcher.dispatch(batch('sim:A', '1m', 1));
    dispatcher.dispatch(batch('sim:A', '1m', 2));
    await dispatcher.idle();
    expect(sink.delivered.flatMap((b) => b.bars.map((x) => x.openTimeMs))).toEqual([2]);
    expect(metrics.sink('rec').rejected).toBe(1);
    expect(logs.some((l) => l.startsWith('error') && l.includes('400 bad bar'))).toBe(true);
  });

  it('keeps keys independent: a stuck market does not hold up another', async () => {
    const sink = recordingSink((b) => (b.market === 'sim:A' ? new Promise<void>(() => undefined) : Promise.resolve()));
    const { dispatcher } = setup(sink);
    dispatcher.dispatch(batch('sim:A', '1m', 1));
    dispatcher.dispatch(batch('sim:B', '1m', 1));
    dispatcher.dispatch(batch('sim:A', '5m', 1));
    await new Promise((r) => setTimeout(r, 10));
    expect(sink.delivered.map((b) => b.market)).toEqual(['sim:B']);
    expect(dispatcher.pendingBars()).toBe(2);
    dispatcher.stop();
  });
});
