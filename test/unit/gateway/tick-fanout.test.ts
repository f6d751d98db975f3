import { GatewayMetrics } from '../../../gateway/gateway-metrics';
import { TickFanout } from '../../../gateway/tick-fanout';
import { tickMessageSchema, type TickMessage } from '../../../shared/market/tick-message';
import { settle, until } from './fake-exchange';

interface Sent {
  group: string;
  message: TickMessage;
}

function setup(publish: (s: Sent) => Promise<void> = () => Promise.resolve(), maxPerSecond = 10) {
  const sent: Sent[] = [];
  const metrics = new GatewayMetrics(() => Date.now());
  const logs: string[] = [];
  const fanout = new TickFanout({
    publisher: {
      publish: (group, message) => {
        const s = { group, message: tickMessageSchema.parse(message) };
        sent.push(s);
        return publish(s);
      },
    },
    maxPerSecond,
    groupFor: (m) => `md.${m}`,
    openBar: () => ({ openTimeMs: 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 9 }),
    metrics,
    log: (l, m) => logs.push(`${l} ${m}`),
    nowMs: () => Date.now(),
  });
  return { fanout, sent, metrics, logs };
}

const trade = (price: number, timestampMs = Date.now()) => ({ timestampMs, price, amount: 1 });

describe('TickFanout', () => {
  it('publishes a quiet market\'s trade at once to its group, with the open 1m bar', async () => {
    const { fanout, sent, metrics } = setup();
    fanout.offer('a', trade(100), Date.now());
    await until(() => sent.length === 1);
    expect(sent[0]).toMatchObject({ group: 'md.a', message: { type: 'tick', market: 'a', price: 100, trades: 1, bar: [60_000, 1, 2, 0.5, 1.5, 9] } });
    await until(() => metrics.counters.ticksOut === 1);
    fanout.stop();
  });

  it('coalesces what arrives within an interval into one tick, sent when the interval is over', async () => {
    const { fanout, sent } = setup(undefined, 20);
    const now = Date.now();
    // One event-loop turn: everything is already coalesced when the leading send goes out.
    for (let i = 0; i < 10; i++) fanout.offer('a', trade(100 + i, now + i), now);
    await until(() => sent.length === 1);
    for (let i = 10; i < 50; i++) fanout.offer('a', trade(100 + i, now + i), Date.now());
    await until(() => sent.length === 2);
    expect(sent.map((s) => [s.message.price, s.message.trades, s.message.high, s.message.low])).toEqual([
      [109, 10, 109, 100],
      [149, 40, 149, 110],
    ]);
    expect(sent[1]!.message.sentMs - sent[0]!.message.sentMs).toBeGreaterThanOrEqual(50);
    fanout.stop();
  });

  it('never has two sends of one market in flight: it coalesces until the first settles', async () => {
    let release: () => void = () => undefined;
    const { fanout, sent } = setup((s) => (s.message.price === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve()), 1_000);
    fanout.offer('a', trade(1), Date.now());
    await until(() => sent.length === 1);
    await settle(5);
    fanout.offer('a', trade(2), Date.now());
    fanout.offer('a', trade(3), Date.now());
    await settle(10);
    expect(sent).toHaveLength(1);
    release();
    await until(() => sent.length === 2);
    expect(sent[1]!.message).toMatchObject({ price: 3, trades: 2 });
    fanout.stop();
  });

  it('counts failed publishes and logs them without a line per tick', async () => {
    const { fanout, sent, metrics, logs } = setup(() => Promise.reject(new Error('service down')), 1_000);
    for (let i = 0; i < 5; i++) {
      fanout.offer(`m${i}`, trade(1), Date.now());
    }
    await until(() => metrics.counters.tickPublishErrors === 5);
    expect(sent).toHaveLength(5);
    expect(logs.filter((l) => l.includes('service down'))).toHaveLength(1);
    await fanout.settled();
    fanout.stop();
  });
});
