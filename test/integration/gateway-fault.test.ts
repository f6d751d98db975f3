/**
 * Fault test: the sim exchange's websocket is cut mid-stream, once with an outage of several bars,
 * while the gateway feeds a running paper bot on the real local host through POST /api/internal/bars.
 * The gateway reconnects with backoff, backfills the missed bars from the exchange's REST API before
 * emitting newer ones, and both what it posted and what the bot processed form one contiguous 1m
 * sequence: no hole, no duplicate, every bar equal to the exchange's own. The bot trades on it.
 * The gateway is configured with no market: it learns the bot's from GET /api/internal/markets.
 */
import { rmSync } from 'node:fs';
import { marketKey } from '../../shared/bots/execution-messages';
import { createHttpDemandSource } from '../../gateway/http-demand-source';
import { createInternalBarsClient } from '../../shared/adapters/market-data/internal-bars-client';
import type { BarBatch, BarSink } from '../../shared/adapters/market-data/bar-sink';
import { SimExchangeClient } from '../../shared/adapters/market-data/sim-exchange-client';
import { startSimExchangeServer, type SimExchangeServer } from '../../shared/adapters/market-data/sim-exchange-server';
import type { Bar } from '../../shared/market/market-types';
import { createSimMarkets, simTimeMs, type SimMarket } from '../../shared/market/sim-market';
import { startGateway, type Gateway } from '../../gateway/start-gateway';
import { BotsDriver } from '../support/bots-driver';
import { eventually, startLocalHost, tempDataDir, type LocalHost } from '../support/local-host';
import { sequenceProblems } from './gateway-support';

const SEED = 5;
const TENANT = 'a'.repeat(32);
const BOT = 'simbot';
// A symbol with '/': market entity keys escape it, the demand list and the bars endpoint do not.
const MARKET = { exchange: 'sim', symbol: 'SIM-BTC/USD', timeframe: '1m' } as const;
const PAPER = { exchangeId: 'paper', mode: 'paper', paper: { startingBalance: { currency: 'USD', amount: 100_000 }, feeRate: 0.001, slippageBps: 2 } };

describe('gateway fault: sim exchange websocket dropped mid-stream', () => {
  const dataDir = tempDataDir('tt-gw-fault-');
  let host: LocalHost;
  let driver: BotsDriver;
  let simServer: SimExchangeServer;
  let gateway: Gateway;
  const posted: BarBatch[] = [];
  const logs: string[] = [];
  /** Deliveries to fail (as a 503 would) before forwarding resumes. */
  let failDeliveries = 0;
  const sim: ReadonlyMap<string, SimMarket> = createSimMarkets(SEED);

  beforeAll(async () => {
    host = await startLocalHost({ dataDir });
    driver = new BotsDriver(host);
    await driver.command(TENANT, BOT, 'create', {
      config: { name: 'sim bot', connectionId: 'paper1', market: MARKET, strategy: { id: 'sma-cross', params: { fast: 2, slow: 3 } } },
    });
    await driver.command(TENANT, BOT, 'start', { connection: PAPER });
    await eventually(async () => {
      const index = await driver.state<{ subscribers: Record<string, unknown> }>('market', marketKey(MARKET));
      return index?.subscribers[`${TENANT}:${BOT}`] ? true : undefined;
    });

    const now = Date.now();
    // One sim minute per real second, starting two hours back so bars stay in the past.
    const clock = { anchorRealMs: now, anchorSimMs: now - 2 * 3_600_000, speed: 60 };
    simServer = await startSimExchangeServer({ markets: sim, clock: () => simTimeMs(clock, Date.now()) });
    const toBots = createInternalBarsClient({ baseUrl: host.baseUrl, functionKey: host.functionKey });
    const recording: BarSink = {
      name: 'internal-bars',
      async deliver(batch) {
        if (failDeliveries > 0) {
          failDeliveries--;
          throw new Error('POST /api/internal/bars answered 503: injected');
        }
        await toBots.deliver(batch);
        posted.push(batch);
      },
    };
    gateway = await startGateway(
      { GATEWAY_PORT: 0, GATEWAY_HOST: '127.0.0.1', GATEWAY_MARKETS: '', GATEWAY_CONTROL_KEY: undefined, GATEWAY_DEMAND_REFRESH_MS: 30_000, TICKS_PER_SECOND_PER_MARKET: 10, GATEWAY_MAX_BACKFILL_BARS: 1_000 },
      {
        exchanges: () => Promise.resolve(new SimExchangeClient({ restUrl: simServer.restUrl })),
        barSinks: [recording],
        demand: createHttpDemandSource({ url: `${host.baseUrl}/api/internal/markets`, functionKey: host.functionKey }),
        timeframes: ['1m', '5m'],
        reconnectBackoff: { baseMs: 100, maxMs: 1_000 },
        log: (level, message) => logs.push(`${level} ${message}`),
      },
    );
  });

  afterAll(async () => {
    await gateway?.stop();
    await simServer?.stop();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const postedBars = (timeframe: string): Bar[] => posted.filter((b) => b.timeframe === timeframe).flatMap((b) => b.bars);
  const exchangeBar = (timeframe: '1m' | '5m', openTimeMs: number): Bar => sim.get(MARKET.symbol)!.ohlcv(timeframe, openTimeMs, 1, Number.MAX_SAFE_INTEGER)[0]!;
  const waitForBars = (timeframe: string, count: number): Promise<Bar[]> =>
    eventually(() => Promise.resolve(postedBars(timeframe).length >= count ? postedBars(timeframe) : undefined), 60_000, 100).catch((e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}; gateway log:\n${logs.slice(-30).join('\n')}\nhost log:\n${host.logs.filter((l) => /error|fail/i.test(l)).slice(-10).join('\n')}`);
    });

  it("watches the running bot's market because the Functions app lists it, not because it was configured", () => {
    expect(gateway.listMarkets()).toEqual([expect.objectContaining({ market: 'sim:SIM-BTC/USD', group: 'md.sim.SIM-BTC_USD', sources: ['demand'] })]);
  });

  it('reconnects, backfills and posts one contiguous sequence, which the bot processes bar by bar', async () => {
    await waitForBars('1m', 3);
    // A short drop (reconnects at once), then an outage of ~4 sim minutes, then another short drop.
    simServer.dropConnections();
    await waitForBars('1m', postedBars('1m').length + 2);
    simServer.dropConnections(4_000);
    await waitForBars('1m', postedBars('1m').length + 7);
    simServer.dropConnections();
    const bars = await waitForBars('1m', postedBars('1m').length + 3);
    await gateway.idle();

    expect(sequenceProblems(bars, 60_000)).toEqual([]);
    for (const bar of bars) expect(bar).toEqual(exchangeBar('1m', bar.openTimeMs));
    const fives = postedBars('5m');
    expect(sequenceProblems(fives, 300_000)).toEqual([]);
    for (const bar of fives) expect(bar).toEqual(exchangeBar('5m', bar.openTimeMs));

    const metrics = gateway.metrics();
    expect(metrics.reconnects).toBeGreaterThanOrEqual(3);
    expect(metrics.counters.disconnects).toBe(3);
    // The outage spanned whole bars that no trade of the stream ever reached: they came from REST.
    expect(metrics.counters.backfilledBars).toBeGreaterThanOrEqual(3);
    expect(metrics.counters.duplicateBarsDropped).toBe(0);

    // The bot saw exactly that sequence: one equity point per posted bar, in a row.
    const last = bars[bars.length - 1]!;
    await driver.waitForBar(TENANT, BOT, last.openTimeMs);
    const { resources } = await driver
      .container('botEquity')
      .items.query<{ barTimeMs?: number; timeMs?: number; id: string }>({ query: 'SELECT * FROM c ORDER BY c.id' }, { partitionKey: [TENANT, BOT] })
      .fetchAll();
    const seen = resources.map((r) => Number(r.id.split('-b')[1])).sort((a, b) => a - b);
    expect(seen).toEqual(bars.map((b) => b.openTimeMs));

    const fills = await driver.events(TENANT, BOT, 'fill');
    expect(fills.length).toBeGreaterThan(0);
    for (const fill of fills) expect(bars.map((b) => b.openTimeMs)).toContain(fill.barTimeMs);
  });

  it('retries failed deliveries in order, so the bot still gets every bar once', async () => {
    const before = postedBars('1m').length;
    const retriesBefore = gateway.metrics().sinks['internal-bars']!.retries;
    failDeliveries = 3;
    const bars = await waitForBars('1m', before + 3);
    await gateway.idle();
    expect(gateway.metrics().sinks['internal-bars']!.retries - retriesBefore).toBe(3);
    expect(sequenceProblems(bars, 60_000)).toEqual([]);
    await driver.waitForBar(TENANT, BOT, bars[bars.length - 1]!.openTimeMs);
  });
});
