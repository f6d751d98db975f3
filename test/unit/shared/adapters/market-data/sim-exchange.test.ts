import { WatchStoppedError } from '../../../../../shared/adapters/market-data/market-data-exchange';
import { SimExchangeClient, SimExchangeError } from '../../../../../shared/adapters/market-data/sim-exchange-client';
import { startSimExchangeServer, type SimExchangeServer } from '../../../../../shared/adapters/market-data/sim-exchange-server';
import { createSimMarkets } from '../../../../../shared/market/sim-market';
import type { Trade } from '../../../../../shared/market/market-types';

const T = Date.UTC(2025, 3, 1, 12);

describe('sim exchange server and client', () => {
  const markets = createSimMarkets(8);
  let simNow = T;
  let server: SimExchangeServer;
  const clients: SimExchangeClient[] = [];
  const client = (): SimExchangeClient => {
    const c = new SimExchangeClient({ restUrl: server.restUrl, requestTimeoutMs: 2_000 });
    clients.push(c);
    return c;
  };
  // Sim time advances 2 s per push, so every push carries trades.
  const tick = setInterval(() => (simNow += 100), 5);

  beforeAll(async () => {
    server = await startSimExchangeServer({ markets, clock: () => simNow, pushIntervalMs: 5 });
  });
  afterAll(async () => {
    clearInterval(tick);
    await Promise.all(clients.map((c) => c.close()));
    await server.stop();
  });

  it('streams exactly the sim trades from the subscription on, in order, without gaps or repeats', async () => {
    const c = client();
    await c.start();
    const got: Trade[] = [];
    while (got.length < 200) {
      const batch = await c.watchTrades('SIM-BTC/USD');
      expect(batch.resumed).toBe(false);
      got.push(...batch.trades);
    }
    const first = got[0]!.timestampMs;
    const last = got[got.length - 1]!.timestampMs;
    const expected = markets.get('SIM-BTC/USD')!.tradesBetween(first, last + 1);
    // The stream starts at the subscription time, possibly mid-millisecond of trades: compare from the first id on.
    const from = expected.findIndex((t) => t.id === got[0]!.id);
    expect(got).toEqual(expected.slice(from, from + got.length));
    await c.unwatchTrades('SIM-BTC/USD');
  });

  it('answers OHLCV and quotes from the same walk, and refuses unknown symbols', async () => {
    const c = client();
    await c.start();
    const since = simNow - 10 * 60_000;
    const bars = await c.fetchOhlcv('SIM-ETH/USD', '1m', since, 3);
    expect(bars).toEqual(markets.get('SIM-ETH/USD')!.ohlcv('1m', since, 3, simNow));
    await expect(c.fetchOhlcv('NOPE', '1m', since, 3)).rejects.toMatchObject({ code: 'BAD_SYMBOL' });
    await expect(c.watchTrades('NOPE')).rejects.toBeInstanceOf(SimExchangeError);
    const quote = (await (await fetch(`${server.restUrl}/api/v1/quote?symbol=SIM-AAPL`)).json()) as { bid: number; ask: number };
    expect(quote.bid).toBeLessThan(quote.ask);
  });

  it('rejects a pending watch when the socket drops, then reconnects on the next call', async () => {
    const c = client();
    await c.watchTrades('SIM-AAPL');
    const pending = c.watchTrades('SIM-AAPL');
    server.dropConnections();
    const outcome = await pending.then(
      () => 'resolved',
      (e: unknown) => (e instanceof SimExchangeError ? e.code : 'other'),
    );
    // Either trades arrived before the drop, or the watch failed with a network error.
    if (outcome === 'resolved') await expect(c.watchTrades('SIM-AAPL')).rejects.toMatchObject({ code: 'NETWORK' });
    else expect(outcome).toBe('NETWORK');
    const after = await c.watchTrades('SIM-AAPL');
    expect(after.trades.length).toBeGreaterThan(0);
  });

  it('reports a drop that happened between two calls on the next call', async () => {
    const c = client();
    await c.watchTrades('SIM-ETH/USD');
    server.dropConnections();
    await new Promise((r) => setTimeout(r, 50));
    let error: unknown;
    for (let i = 0; i < 5 && error === undefined; i++) {
      // Trades buffered before the drop come first, then the error.
      await c.watchTrades('SIM-ETH/USD').catch((e: unknown) => (error = e));
    }
    expect(error).toMatchObject({ code: 'NETWORK' });
  });

  it('fails to reconnect while the server refuses connections, and succeeds afterwards', async () => {
    const c = client();
    await c.watchTrades('SIM-BTC/USD');
    server.dropConnections(300);
    await c.watchTrades('SIM-BTC/USD').catch(() => undefined);
    await expect(c.watchTrades('SIM-BTC/USD')).rejects.toMatchObject({ code: 'NETWORK' });
    await new Promise((r) => setTimeout(r, 350));
    expect((await c.watchTrades('SIM-BTC/USD')).trades.length).toBeGreaterThan(0);
  });

  it('stops a pending watch on unwatch and on close, without a reconnect', async () => {
    const c = client();
    await c.watchTrades('SIM-AAPL');
    // Drain whatever is buffered so the next call waits.
    const waiting = c.watchTrades('SIM-AAPL').then(() => c.watchTrades('SIM-AAPL'));
    await c.unwatchTrades('SIM-AAPL');
    await expect(waiting).rejects.toBeInstanceOf(WatchStoppedError);
    await c.close();
    await expect(c.watchTrades('SIM-AAPL')).rejects.toBeInstanceOf(WatchStoppedError);
  });
});
