/**
 * The ccxt pro path, offline: the gateway process watches `binance:BTC/USDT` through ccxt.pro's
 * unmodified `binance` class, with every REST and websocket origin sent to a local mock of Binance's
 * protocol (GATEWAY_EXCHANGE_MOCKS; ccxt needs loadHttpProxyAgent() for ws://). Bars built from the
 * streamed trades match the mock's klines; after the websocket is cut (once with an outage) ccxt
 * reconnects on the gateway's backoff, resubscribes, and the missed bars are backfilled with
 * fetchOHLCV (klines), leaving no hole and no duplicate. Markets are added and removed at runtime.
 * ccxt runs in the child process because jest cannot load its ESM-only dependencies.
 */
import type { Bar } from '../../shared/market/market-types';
import { SimMarket, SIM_MARKETS, simTimeMs } from '../../shared/market/sim-market';
import { eventually } from '../support/local-host';
import { startBinanceMock, type BinanceMock } from './gateway-binance-mock';
import { getJson, sequenceProblems, startBarsEndpoint, startGatewayProcess, type BarsEndpoint, type GatewayProcess } from './gateway-support';

const FUNCTION_KEY = 'ccxt-binance-test-key';

describe('gateway through ccxt pro binance against a local Binance mock', () => {
  let mock: BinanceMock;
  let barsEndpoint: BarsEndpoint;
  let gateway: GatewayProcess;
  const btc = new SimMarket({ ...SIM_MARKETS[0]!, symbol: 'BTC/USDT' }, 21);
  const eth = new SimMarket({ ...SIM_MARKETS[1]!, symbol: 'ETH/USDT' }, 21);

  beforeAll(async () => {
    const now = Date.now();
    const clock = { anchorRealMs: now, anchorSimMs: now - 2 * 3_600_000, speed: 60 };
    mock = await startBinanceMock({
      markets: new Map([
        ['BTCUSDT', { base: 'BTC', quote: 'USDT', sim: btc }],
        ['ETHUSDT', { base: 'ETH', quote: 'USDT', sim: eth }],
      ]),
      clock: () => simTimeMs(clock, Date.now()),
    });
    barsEndpoint = await startBarsEndpoint(FUNCTION_KEY);
    gateway = await startGatewayProcess({
      GATEWAY_MARKETS: 'binance:BTC/USDT',
      GATEWAY_EXCHANGE_MOCKS: `binance=${mock.origin}`,
      FUNCTIONS_BASE_URL: barsEndpoint.baseUrl,
      FUNCTIONS_KEY: FUNCTION_KEY,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await barsEndpoint?.stop();
    await mock?.stop();
  });

  const bars = (symbol: string): Bar[] => barsEndpoint.bars('binance', symbol, '1m');
  const waitForBars = (symbol: string, count: number): Promise<Bar[]> =>
    eventually(() => Promise.resolve(bars(symbol).length >= count ? bars(symbol) : undefined), 60_000, 100).catch((e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}; gateway log:\n${gateway.logs.slice(-30).join('\n')}`);
    });
  /** The mock's kline (what Binance would answer) for the same minute. */
  const expectKline = (sim: SimMarket, bar: Bar): void => {
    const kline = sim.ohlcv('1m', bar.openTimeMs, 1, Number.MAX_SAFE_INTEGER)[0]!;
    expect({ ...bar, volume: 0 }).toEqual({ ...kline, volume: 0 });
    expect(bar.volume).toBeCloseTo(kline.volume, 6);
  };

  it('loads the markets and streams trades over ccxt.pro binance, building bars equal to the klines', async () => {
    const got = await waitForBars('BTC/USDT', 4);
    expect(mock.restPaths).toContain('/api/v3/exchangeInfo');
    expect(mock.subscribeRequests[0]).toEqual(['btcusdt@trade']);
    expect(sequenceProblems(got, 60_000)).toEqual([]);
    for (const bar of got) expectKline(btc, bar);
  });

  it('reconnects after drops and an outage, backfilling from klines without holes or duplicates', async () => {
    const subscribesBefore = mock.subscribeRequests.length;
    mock.dropConnections();
    await waitForBars('BTC/USDT', bars('BTC/USDT').length + 2);
    mock.dropConnections(4_000);
    const got = await waitForBars('BTC/USDT', bars('BTC/USDT').length + 8);
    expect(sequenceProblems(got, 60_000)).toEqual([]);
    for (const bar of got) expectKline(btc, bar);
    expect(mock.subscribeRequests.length).toBeGreaterThanOrEqual(subscribesBefore + 2);
    expect(mock.restPaths).toContain('/api/v3/klines');

    const metrics = await getJson<{ reconnects: number; counters: { disconnects: number; backfilledBars: number } }>(`${gateway.url}/metrics`);
    expect(metrics.body.counters.disconnects).toBe(2);
    expect(metrics.body.reconnects).toBeGreaterThanOrEqual(2);
    expect(metrics.body.counters.backfilledBars).toBeGreaterThanOrEqual(3);
  });

  it('subscribes and unsubscribes markets at runtime', async () => {
    const post = (body: unknown) => getJson(`${gateway.url}/markets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ add: ['binance:ETH/USDT'] })).status).toBe(200);
    const got = await waitForBars('ETH/USDT', 2);
    for (const bar of got) expectKline(eth, bar);
    expect(mock.subscribeRequests.flat()).toContain('ethusdt@trade');

    expect((await post({ remove: ['binance:ETH/USDT'] })).status).toBe(200);
    await eventually(() => Promise.resolve(mock.unsubscribeRequests.flat().includes('ethusdt@trade') ? true : undefined));
    const listed = await getJson<{ markets: { market: string }[] }>(`${gateway.url}/markets`);
    expect(listed.body.markets.map((m) => m.market)).toEqual(['binance:BTC/USDT']);
  });
});
