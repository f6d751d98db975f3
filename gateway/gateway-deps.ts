/**
 * Builds the gateway's real I/O edges from its config: exchanges (the sim exchange over its
 * websocket + REST, started in-process unless SIM_EXCHANGE_URL points at one, serving the random
 * walk plus any SIM_REPLAY CSV replays; every other id through ccxt pro), the internal bars
 * endpoint, the Cosmos `candles` container and Web PubSub.
 */
import type { Container } from '@azure/cosmos';
import type { BarSink } from '../shared/adapters/market-data/bar-sink.js';
import { openCcxtProExchange } from '../shared/adapters/market-data/ccxt-pro-exchange.js';
import { CosmosCandleStore, openCandlesContainer } from '../shared/adapters/market-data/cosmos-candle-store.js';
import { createInternalBarsClient } from '../shared/adapters/market-data/internal-bars-client.js';
import type { MarketDataExchange } from '../shared/adapters/market-data/market-data-exchange.js';
import { SimExchangeClient } from '../shared/adapters/market-data/sim-exchange-client.js';
import { SIM_EXCHANGE_ID } from '../shared/adapters/market-data/sim-exchange-protocol.js';
import { startSimExchangeServer, type SimExchangeServer } from '../shared/adapters/market-data/sim-exchange-server.js';
import { createWebPubSubServiceClient, WebPubSubTickPublisher } from '../shared/adapters/market-data/web-pubsub-tick-publisher.js';
import { createCosmosClient } from '../shared/adapters/cosmos/cosmos-client-factory.js';
import type { GatewayConfig } from '../shared/config/gateway-config.js';
import { CsvReplayMarket, type ReplayEnd } from '../shared/market/csv-replay-market.js';
import { createSimMarkets, simTimeMs, type SimClockSpec, type SimPriceSource } from '../shared/market/sim-market.js';
import { TIMEFRAME_MS } from '../shared/market/timeframes.js';
import type { GatewayLog } from './gateway-log.js';
import { createHttpDemandSource } from './http-demand-source.js';
import type { GatewayDeps } from './start-gateway.js';

export interface SimSetup {
  readonly clock: SimClockSpec;
  readonly seed: number;
  /** CSV replays served next to the walk (SIM_REPLAY). */
  readonly replays: readonly SimReplayInfo[];
  /** Set once the in-process sim exchange runs (or from SIM_EXCHANGE_URL). */
  restUrl: string | undefined;
  server: SimExchangeServer | undefined;
}

export interface SimReplayInfo {
  readonly symbol: string;
  readonly path: string;
  readonly rows: number;
  /** Sim time of the first row; row r covers [startMs + r·barMs, startMs + (r+1)·barMs). */
  readonly startMs: number;
  readonly barMs: number;
  readonly end: ReplayEnd;
}

export interface GatewayRuntime {
  readonly deps: GatewayDeps;
  readonly sim: SimSetup;
  /** Starts the in-process sim exchange now (it otherwise starts with the first sim market). */
  startSim(): Promise<string>;
}

export function createGatewayDeps(config: GatewayConfig, log: GatewayLog, realNowMs: () => number = () => Date.now()): GatewayRuntime {
  const startMs = realNowMs();
  const clock: SimClockSpec = { anchorRealMs: startMs, anchorSimMs: config.SIM_START_MS ?? startMs, speed: config.SIM_SPEED };
  const replays = createReplayMarkets(config, clock);
  const sim: SimSetup = {
    clock,
    seed: config.SIM_SEED,
    replays: replays.map(({ market: m, path }) => ({ symbol: m.spec.symbol, path, rows: m.rowCount, startMs: m.startMs, barMs: m.barMs, end: m.end })),
    restUrl: config.SIM_EXCHANGE_URL,
    server: undefined,
  };
  const mocks = parseMocks(config.GATEWAY_EXCHANGE_MOCKS);

  let simServer: Promise<string> | undefined;
  const simRestUrl = (): Promise<string> => {
    if (sim.restUrl) return Promise.resolve(sim.restUrl);
    simServer ??= startSimExchangeServer({
      markets: new Map<string, SimPriceSource>([...createSimMarkets(sim.seed), ...replays.map(({ market }) => [market.spec.symbol, market] as const)]),
      clock: () => simTimeMs(sim.clock, realNowMs()),
      port: config.SIM_PORT,
      log: (level, m) => log(level, m),
    }).then((server) => {
      sim.server = server;
      sim.restUrl = server.restUrl;
      return server.restUrl;
    });
    simServer.catch(() => (simServer = undefined));
    return simServer;
  };

  const exchanges = async (id: string): Promise<MarketDataExchange> => {
    if (id === SIM_EXCHANGE_ID) return new SimExchangeClient({ restUrl: await simRestUrl() });
    const mockOrigin = mocks.get(id);
    return openCcxtProExchange(id, mockOrigin ? { mockOrigin } : {});
  };

  const barSinks: BarSink[] = [];
  if (config.GATEWAY_POST_BARS) barSinks.push(createInternalBarsClient({ baseUrl: config.FUNCTIONS_BASE_URL, functionKey: config.FUNCTIONS_KEY }));
  let candles: CosmosCandleStore | undefined;
  if (config.COSMOS_ENDPOINT) {
    const client = createCosmosClient({ endpoint: config.COSMOS_ENDPOINT, key: config.COSMOS_KEY });
    let container: Promise<Container> | undefined;
    candles = new CosmosCandleStore(() => {
      container ??= openCandlesContainer(client, config.COSMOS_DATABASE);
      container.catch(() => (container = undefined));
      return container;
    });
    barSinks.push(candles);
  }

  const webPubSub =
    config.WEB_PUBSUB_CONNECTION_STRING || config.WEB_PUBSUB_ENDPOINT
      ? new WebPubSubTickPublisher(createWebPubSubServiceClient({ connectionString: config.WEB_PUBSUB_CONNECTION_STRING, endpoint: config.WEB_PUBSUB_ENDPOINT, hub: config.WEB_PUBSUB_HUB }))
      : undefined;
  if (!webPubSub) log('warn', 'no WEB_PUBSUB_CONNECTION_STRING or WEB_PUBSUB_ENDPOINT: ticks are not published');
  if (!candles) log('warn', 'no COSMOS_ENDPOINT: bars are not stored in the candles container');

  const deps: GatewayDeps = {
    exchanges,
    barSinks,
    tickPublisher: webPubSub,
    candleHistory: candles,
    demand: config.GATEWAY_DEMAND_URL ? createHttpDemandSource({ url: config.GATEWAY_DEMAND_URL, functionKey: config.FUNCTIONS_KEY }) : undefined,
    log,
    describe: () => ({ sim: { restUrl: sim.restUrl ?? null, speed: sim.clock.speed, seed: sim.seed, clock: sim.clock, replays: sim.replays } }),
    onStop: async () => {
      await sim.server?.stop();
    },
  };
  return { deps, sim, startSim: simRestUrl };
}

/** Replays start at SIM_REPLAY_START_MS, or with the sim clock (floored to a bar) so row 1 plays first. */
function createReplayMarkets(config: GatewayConfig, clock: SimClockSpec): { readonly market: CsvReplayMarket; readonly path: string }[] {
  const barMs = TIMEFRAME_MS[config.SIM_REPLAY_BAR];
  const startMs = config.SIM_REPLAY_START_MS ?? Math.floor(clock.anchorSimMs / barMs) * barMs;
  const options = { startMs, barMs, end: config.SIM_REPLAY_END, tradesPerBar: config.SIM_REPLAY_TRADES_PER_BAR };
  return config.SIM_REPLAY.map(({ symbol, path, rows }) => ({ market: new CsvReplayMarket(rows, { ...options, symbol }, config.SIM_SEED), path }));
}

function parseMocks(setting: string | undefined): Map<string, string> {
  const mocks = new Map<string, string>();
  for (const pair of (setting ?? '').split(',')) {
    const [id, origin] = pair.split('=', 2);
    if (id && origin) mocks.set(id.trim(), origin.trim());
  }
  return mocks;
}
