/**
 * The gateway process on the sim exchange (1 sim minute per real second), with the real local host
 * (Cosmos emulator, Functions host serving GET /api/negotiate) and the Web PubSub emulator over TLS:
 * closed bars reach the internal bars endpoint (a local stand-in here, with the function key check)
 * and the Cosmos `candles` container; coalesced ticks reach a `WebPubSubClient` negotiated through
 * the API; a client of tenant A cannot join tenant B's group; markets change without a restart.
 */
import { rmSync } from 'node:fs';
import { localTlsDir } from '../../local/host-launch';
import { ensureLocalTlsCert, type LocalTlsCert } from '../../local/tls/local-tls';
import { startLocalWebPubSub, type LocalWebPubSub } from '../../local/webpubsub/local-web-pubsub';
import { tenantIdFor } from '../../shared/auth/client-principal';
import type { Bar } from '../../shared/market/market-types';
import { createSimMarkets, type SimMarket } from '../../shared/market/sim-market';
import { tickMessageSchema, type TickMessage } from '../../shared/market/tick-message';
import { TIMEFRAME_MS } from '../../shared/market/timeframes';
import { ApiClient, hostCosmosClient, principalFor } from '../support/api-client';
import { eventually, startLocalHost, tempDataDir, type LocalHost } from '../support/local-host';
import { getJson, sequenceProblems, startBarsEndpoint, startGatewayProcess, startWebPubSubClientProcess, type BarsEndpoint, type GatewayProcess, type WebPubSubClientProcess } from './gateway-support';

const FUNCTION_KEY = 'gateway-live-test-function-key';
const SIM_SEED = 11;
const COSMOS_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

describe('gateway on the sim exchange (process, local host, Web PubSub emulator)', () => {
  let dataDir: string;
  let tls: LocalTlsCert;
  let wps: LocalWebPubSub;
  let host: LocalHost;
  let barsEndpoint: BarsEndpoint;
  let gateway: GatewayProcess;
  const clients: WebPubSubClientProcess[] = [];
  let sim: ReadonlyMap<string, SimMarket>;

  beforeAll(async () => {
    dataDir = tempDataDir('tt-gw-live-');
    // One CA for every emulator: the host serves Cosmos with the set it finds in its data dir.
    tls = ensureLocalTlsCert(localTlsDir(dataDir));
    wps = await startLocalWebPubSub({ tls: { cert: tls.cert, key: tls.key } });
    barsEndpoint = await startBarsEndpoint(FUNCTION_KEY);
    host = await startLocalHost({ dataDir, env: { WEB_PUBSUB_CONNECTION_STRING: wps.connectionString, NODE_EXTRA_CA_CERTS: tls.caFile } });
    const ready = JSON.parse(host.logs.find((l) => l.startsWith('TT_HOST_READY '))!.slice('TT_HOST_READY '.length)) as { cosmosEndpoint: string };
    gateway = await startGatewayProcess({
      GATEWAY_MARKETS: 'sim:SIM-BTC/USD,sim:SIM-ETH/USD',
      FUNCTIONS_BASE_URL: barsEndpoint.baseUrl,
      FUNCTIONS_KEY: FUNCTION_KEY,
      WEB_PUBSUB_CONNECTION_STRING: wps.connectionString,
      COSMOS_ENDPOINT: ready.cosmosEndpoint,
      COSMOS_KEY,
      NODE_EXTRA_CA_CERTS: tls.caFile,
      SIM_SEED: String(SIM_SEED),
      SIM_SPEED: '60',
      // Start sim time two hours back so it stays behind the wall clock for the whole test.
      SIM_START_MS: String(Date.now() - 2 * 3_600_000),
    });
    sim = createSimMarkets(SIM_SEED);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await gateway?.stop();
    await host?.stop();
    await barsEndpoint?.stop();
    await wps?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The exchange's own bar for the same bucket (the sim is deterministic for a seed). */
  const exchangeBar = (symbol: string, timeframe: '1m' | '5m', openTimeMs: number): Bar => sim.get(symbol)!.ohlcv(timeframe, openTimeMs, 1, openTimeMs + TIMEFRAME_MS[timeframe])[0]!;

  it('posts contiguous closed bars with the function key, each equal to the exchange bar', async () => {
    const bars = await eventually(() => {
      const got = barsEndpoint.bars('sim', 'SIM-BTC/USD', '1m');
      return Promise.resolve(got.length >= 6 ? got : undefined);
    }, 60_000);
    expect(sequenceProblems(bars, 60_000)).toEqual([]);
    for (const bar of bars) expect(bar).toEqual(exchangeBar('SIM-BTC/USD', '1m', bar.openTimeMs));
    const eth = await eventually(() => Promise.resolve(barsEndpoint.bars('sim', 'SIM-ETH/USD', '5m').length >= 1 ? barsEndpoint.bars('sim', 'SIM-ETH/USD', '5m') : undefined), 60_000);
    for (const bar of eth) expect(bar).toEqual(exchangeBar('SIM-ETH/USD', '5m', bar.openTimeMs));
    expect(barsEndpoint.refused).toEqual([]);
  });

  it('stores the same bars in the Cosmos candles container', async () => {
    const container = hostCosmosClient(host).database('tradingtower').container('candles');
    const first = await eventually(() => Promise.resolve(barsEndpoint.bars('sim', 'SIM-BTC/USD', '1m')[0]), 60_000);
    const stored = await eventually(async () => {
      const { resource } = await container.item(String(first.openTimeMs), ['sim:SIM-BTC/USD', '1m']).read<Bar & { marketKey: string }>();
      return resource ?? undefined;
    });
    expect(stored).toMatchObject({ ...first, marketKey: 'sim:SIM-BTC/USD', timeframe: '1m' });
  });

  it('delivers coalesced ticks to a client negotiated for tenant A, which cannot join tenant B groups', async () => {
    const alice = principalFor('alice-gw');
    const tenantA = tenantIdFor(alice);
    const tenantB = tenantIdFor(principalFor('bob-gw'));
    const negotiated = await new ApiClient(host.baseUrl, { principal: alice }).get<{ url: string; groups: { bots: string } }>('/api/negotiate');
    expect(negotiated.status).toBe(200);
    expect(negotiated.body.groups.bots).toBe(`tenant.${tenantA}.bots`);

    const client = startWebPubSubClientProcess(negotiated.body.url, ['md.sim.SIM-BTC_USD', `tenant.${tenantA}.bots`, `tenant.${tenantB}.bots`], tls.caFile);
    clients.push(client);
    await client.joinsAnswered;
    expect(client.events.filter((e) => e.joined).map((e) => e.joined)).toEqual(['md.sim.SIM-BTC_USD', `tenant.${tenantA}.bots`]);
    expect(client.events.find((e) => e.refused)).toEqual({ refused: `tenant.${tenantB}.bots`, name: 'Forbidden' });

    const ticks = await eventually(() => {
      const got = client.events.filter((e) => e.message).map((e) => tickMessageSchema.parse(e.message));
      return Promise.resolve(got.length >= 20 ? got : undefined);
    }, 30_000);
    expect(new Set(ticks.map((t) => t.market))).toEqual(new Set(['sim:SIM-BTC/USD']));
    // At most 10 per second per market: consecutive sends are at least 100 ms apart on the gateway clock.
    const spacing = ticks.slice(1).map((t, i) => t.sentMs - ticks[i]!.sentMs);
    expect(Math.min(...spacing)).toBeGreaterThanOrEqual(100);
    // Coalescing: a tick summarizes several trades, and its price is a real trade of the exchange.
    expect(ticks.some((t) => t.trades > 1)).toBe(true);
    const lastTick: TickMessage = ticks[ticks.length - 1]!;
    expect(sim.get('SIM-BTC/USD')!.lastTradeAt(lastTick.timeMs)?.price).toBe(lastTick.price);
  });

  it('refuses negotiate without a signed-in user', async () => {
    const res = await fetch(`${host.baseUrl}/api/negotiate`);
    expect(res.status).toBe(401);
  });

  it('adds and removes markets at runtime through the control endpoint', async () => {
    const post = (body: unknown) => getJson<{ removed: string[]; kept: string[]; markets: { market: string }[] }>(`${gateway.url}/markets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const added = await post({ add: ['sim:SIM-AAPL'] });
    expect(added.status).toBe(200);
    expect(added.body.markets.map((m) => m.market)).toContain('sim:SIM-AAPL');
    await eventually(() => Promise.resolve(barsEndpoint.bars('sim', 'SIM-AAPL', '1m').length >= 2 ? true : undefined), 30_000);
    expect(sequenceProblems(barsEndpoint.bars('sim', 'SIM-AAPL', '1m'), 60_000)).toEqual([]);

    const removed = await post({ remove: ['sim:SIM-AAPL', 'sim:SIM-ETH/USD'] });
    expect(removed.body).toMatchObject({ removed: ['sim:SIM-AAPL'], kept: ['sim:SIM-ETH/USD'] });
    expect(removed.body.markets.map((m) => m.market).sort()).toEqual(['sim:SIM-BTC/USD', 'sim:SIM-ETH/USD']);

    const invalid = await post({ add: ['not a market'] });
    expect(invalid.status).toBe(400);
  });

  it('reports connections, message rates, lag and reconnects on /health and /metrics', async () => {
    const health = await getJson<{ status: string; connections: number }>(`${gateway.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'up', connections: 2 });
    const metrics = await getJson<{ messagesInPerSecond: { avg10s: number }; messagesOutPerSecond: { ticks: { avg10s: number } }; reconnects: number; perMarket: { market: string; lagMs: number }[] }>(`${gateway.url}/metrics`);
    expect(metrics.body.messagesInPerSecond.avg10s).toBeGreaterThan(0);
    expect(metrics.body.messagesOutPerSecond.ticks.avg10s).toBeGreaterThan(0);
    expect(metrics.body.reconnects).toBe(0);
    expect(metrics.body.perMarket.map((m) => typeof m.lagMs)).toEqual(['number', 'number']);
  });
});
