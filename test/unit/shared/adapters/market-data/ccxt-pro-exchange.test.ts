import type * as CcxtModule from 'ccxt';
import type { Exchange } from 'ccxt';
import { CcxtProMarketData, openCcxtProExchange, rewriteOrigins } from '../../../../../shared/adapters/market-data/ccxt-pro-exchange';

/** Just enough of a ccxt pro exchange for the adapter (ccxt itself cannot load under jest). */
function stubExchange(batches: unknown[][]): { exchange: Exchange; clients: Record<string, { subscriptions: Record<string, unknown> }> } {
  const clients: Record<string, { subscriptions: Record<string, unknown> }> = {};
  const exchange = {
    id: 'fake-exchange',
    has: { watchTrades: true, unWatchTrades: true },
    clients,
    watchTrades: () => Promise.resolve(batches.shift() ?? []),
    fetchOHLCV: () => Promise.resolve([[60_000, 1, 2, 0.5, 1.5, 10], [120_000, null, 2, 1, 1, 1], [180_000, 1, 1, 1, 1, undefined]]),
    unWatchTrades: jest.fn(() => Promise.resolve()),
    close: jest.fn(() => Promise.resolve()),
    loadMarkets: () => Promise.resolve({}),
  };
  return { exchange: exchange as unknown as Exchange, clients };
}

describe('ccxt pro market data adapter', () => {
  it('rewrites every REST and websocket origin to a local mock, keeping paths', () => {
    expect(rewriteOrigins({ api: { public: 'https://api.binance.com/api/v3', ws: { spot: 'wss://stream.binance.com:9443/ws' } }, list: ['https://x.y/z'] }, 'http://127.0.0.1:4010')).toEqual({
      api: { public: 'http://127.0.0.1:4010/api/v3', ws: { spot: 'ws://127.0.0.1:4010/ws' } },
      list: ['http://127.0.0.1:4010/z'],
    });
  });

  it('maps ccxt trades, skipping ones without time, price or amount, and OHLCV rows without prices', async () => {
    const { exchange } = stubExchange([[{ timestamp: 5, price: 10, amount: 1, side: 'buy', id: 't1' }, { timestamp: undefined, price: 10, amount: 1 }, { timestamp: 6, price: Number.NaN, amount: 1 }]]);
    const adapter = new CcxtProMarketData(exchange);
    expect(await adapter.watchTrades('BTC/USDT')).toEqual({ trades: [{ timestampMs: 5, price: 10, amount: 1, side: 'buy', id: 't1' }], resumed: false });
    expect(await adapter.fetchOhlcv('BTC/USDT', '1m', 0, 3)).toEqual([
      { openTimeMs: 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
      { openTimeMs: 180_000, open: 1, high: 1, low: 1, close: 1, volume: 0 },
    ]);
  });

  it('reports a batch as resumed when ccxt silently replaced the socket carrying the symbol', async () => {
    const { exchange, clients } = stubExchange([[], [], []]);
    const adapter = new CcxtProMarketData(exchange);
    clients['wss://a/0'] = { subscriptions: { 'trade::BTC/USDT': {} } };
    expect((await adapter.watchTrades('BTC/USDT')).resumed).toBe(false);
    expect((await adapter.watchTrades('BTC/USDT')).resumed).toBe(false);
    clients['wss://a/0'] = { subscriptions: { 'trade::BTC/USDT': {} } };
    expect((await adapter.watchTrades('BTC/USDT')).resumed).toBe(true);
  });

  it('opens ccxt.pro classes by id, refusing unknown ids and non-loopback mocks', async () => {
    const loadHttpProxyAgent = jest.fn(() => Promise.resolve());
    class binance {
      id = 'binance';
      has = { watchTrades: true };
      urls = { api: { ws: { spot: 'wss://stream.binance.com/ws' } } };
      loadHttpProxyAgent = loadHttpProxyAgent;
    }
    const loadCcxt = () => Promise.resolve({ pro: { binance } } as unknown as typeof CcxtModule);
    await expect(openCcxtProExchange('nope', { loadCcxt })).rejects.toThrow('ccxt pro has no exchange "nope"');
    await expect(openCcxtProExchange('binance', { loadCcxt, mockOrigin: 'http://example.com' })).rejects.toThrow('127.0.0.1');
    const adapter = await openCcxtProExchange('binance', { loadCcxt, mockOrigin: 'http://127.0.0.1:9' });
    expect(adapter.id).toBe('binance');
    expect(loadHttpProxyAgent).toHaveBeenCalled();
  });
});
