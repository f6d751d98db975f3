/**
 * The gateway: keeps one feed per needed market (configured ∪ added at runtime ∪ what bots need),
 * reconciles that set without a restart, and serves health, metrics and market control over HTTP.
 * `deps` carries every I/O edge (exchanges, sinks, publisher, history, demand), so tests and the
 * benchmark run the same core against local stand-ins; gateway-deps.ts builds the real ones.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BarSink } from '../shared/adapters/market-data/bar-sink.js';
import type { CandleHistory } from '../shared/adapters/market-data/cosmos-candle-store.js';
import type { MarketDataExchange, MarketDataExchangeProvider } from '../shared/adapters/market-data/market-data-exchange.js';
import type { TickPublisher } from '../shared/adapters/market-data/web-pubsub-tick-publisher.js';
import type { GatewayConfig } from '../shared/config/gateway-config.js';
import { DEFAULT_RECONNECT_BACKOFF, type BackoffPolicy } from '../shared/market/backoff.js';
import { marketGroup, parseMarketKey, parseMarketKeyList, type MarketKey } from '../shared/market/market-key.js';
import { TIMEFRAMES, type Timeframe } from '../shared/market/timeframes.js';
import { BarDispatcher } from './bar-dispatcher.js';
import { errorText } from './bar-pipeline.js';
import { createGatewayHttpServer } from './gateway-http.js';
import { silentLog, type GatewayLog } from './gateway-log.js';
import { GatewayMetrics } from './gateway-metrics.js';
import type { Gateway, MarketSource } from './gateway-types.js';

export type { Gateway, MarketListing, MarketSource, RemoveOutcome } from './gateway-types.js';
import type { MarketDemandSource } from './market-demand.js';
import { MarketFeed } from './market-feed.js';
import { TickFanout } from './tick-fanout.js';

export type GatewaySettings = Pick<
  GatewayConfig,
  'GATEWAY_PORT' | 'GATEWAY_HOST' | 'GATEWAY_MARKETS' | 'GATEWAY_CONTROL_KEY' | 'GATEWAY_DEMAND_REFRESH_MS' | 'TICKS_PER_SECOND_PER_MARKET' | 'GATEWAY_MAX_BACKFILL_BARS'
>;

export interface GatewayDeps {
  readonly exchanges: MarketDataExchangeProvider;
  readonly barSinks: readonly BarSink[];
  readonly tickPublisher?: TickPublisher | undefined;
  readonly candleHistory?: CandleHistory | undefined;
  readonly demand?: MarketDemandSource | undefined;
  readonly log?: GatewayLog;
  readonly nowMs?: () => number;
  readonly random?: () => number;
  readonly timeframes?: readonly Timeframe[];
  readonly reconnectBackoff?: BackoffPolicy;
  /** Backoff of sink deliveries and backfill fetches. */
  readonly retryBackoff?: BackoffPolicy;
  /** Default 1,500 ms. */
  readonly closeGraceMs?: number;
  /** Run after the gateway stopped (e.g. an in-process sim exchange). */
  readonly onStop?: () => Promise<void>;
  /** Extra fields for GET /health (e.g. where the in-process sim exchange listens). */
  readonly describe?: () => Record<string, unknown>;
}

const DEFAULT_RETRY: BackoffPolicy = { baseMs: 200, maxMs: 30_000 };
/** A market disconnected longer than this makes /health report degraded. */
const DEGRADED_AFTER_MS = 60_000;

export async function startGateway(config: GatewaySettings, deps: GatewayDeps): Promise<Gateway> {
  const log = deps.log ?? silentLog;
  const nowMs = deps.nowMs ?? (() => Date.now());
  const random = deps.random ?? Math.random;
  const metrics = new GatewayMetrics(nowMs);
  const dispatcher = new BarDispatcher({ sinks: deps.barSinks, metrics, log, retry: deps.retryBackoff ?? DEFAULT_RETRY, random });
  const feeds = new Map<MarketKey, MarketFeed>();
  const fanout = deps.tickPublisher
    ? new TickFanout({
        publisher: deps.tickPublisher,
        maxPerSecond: config.TICKS_PER_SECOND_PER_MARKET,
        groupFor: (market) => {
          const ref = parseMarketKey(market);
          return ref.ok ? marketGroup(ref.value) : market;
        },
        openBar: (market) => feeds.get(market as MarketKey)?.openBar(),
        metrics,
        log,
        nowMs,
      })
    : undefined;

  const configured = new Set(unwrap(parseMarketKeyList(config.GATEWAY_MARKETS)));
  const controlled = new Set<MarketKey>();
  let demanded = new Set<MarketKey>();
  let stopping = false;

  const exchanges = new Map<string, Promise<MarketDataExchange>>();
  const exchangeFor = (id: string): Promise<MarketDataExchange> => {
    let pending = exchanges.get(id);
    if (!pending) {
      pending = (async () => {
        const exchange = await deps.exchanges(id);
        try {
          await exchange.start();
        } catch (e) {
          await exchange.close().catch(() => undefined);
          throw e;
        }
        return exchange;
      })();
      exchanges.set(id, pending);
      // A failed open (exchange unreachable) is retried by the next watch after its backoff.
      pending.catch(() => exchanges.delete(id));
    }
    return pending;
  };

  const sourcesOf = (market: MarketKey): MarketSource[] => {
    const sources: MarketSource[] = [];
    if (configured.has(market)) sources.push('config');
    if (controlled.has(market)) sources.push('control');
    if (demanded.has(market)) sources.push('demand');
    return sources;
  };

  const reconcile = async (): Promise<void> => {
    if (stopping) return;
    const desired = new Set<MarketKey>([...configured, ...controlled, ...demanded]);
    for (const market of desired) {
      if (feeds.has(market)) continue;
      const ref = parseMarketKey(market);
      if (!ref.ok) continue;
      const feed = new MarketFeed(ref.value, market, {
        exchange: () => exchangeFor(ref.value.exchange),
        timeframes: deps.timeframes ?? TIMEFRAMES,
        dispatcher,
        history: deps.candleHistory,
        fanout,
        metrics,
        log,
        reconnect: deps.reconnectBackoff ?? DEFAULT_RECONNECT_BACKOFF,
        retry: deps.retryBackoff ?? DEFAULT_RETRY,
        random,
        nowMs,
        maxBackfillBars: config.GATEWAY_MAX_BACKFILL_BARS,
        closeGraceMs: deps.closeGraceMs ?? 1_500,
      });
      feeds.set(market, feed);
      feed.start();
      log('info', `${market}: watching (${sourcesOf(market).join(', ')})`);
    }
    const stops: Promise<void>[] = [];
    for (const [market, feed] of feeds) {
      if (desired.has(market)) continue;
      feeds.delete(market);
      metrics.markets.delete(market);
      stops.push(feed.stop());
      log('info', `${market}: no longer needed, unsubscribed`);
    }
    await Promise.all(stops);
  };

  const refreshDemand = async (): Promise<void> => {
    if (!deps.demand) return;
    try {
      demanded = new Set(await deps.demand.list());
    } catch (e) {
      log('warn', `market demand (${deps.demand.name}) unavailable, keeping the previous set: ${errorText(e)}`);
      return;
    }
    await reconcile();
  };

  const sampler = setInterval(() => metrics.sample(), 1_000);
  const closer = setInterval(() => {
    const now = nowMs();
    for (const feed of feeds.values()) feed.closeByTime(now);
  }, 250);
  const demandTimer = deps.demand ? setInterval(() => void refreshDemand(), config.GATEWAY_DEMAND_REFRESH_MS) : undefined;

  const gateway: Omit<Gateway, 'url' | 'port'> = {
    listMarkets: () =>
      [...feeds.values()].map((feed) => ({
        market: feed.market,
        group: marketGroup(feed.ref),
        sources: sourcesOf(feed.market),
        state: feed.status.state,
        lastError: feed.status.lastError,
      })),
    addMarkets: async (markets) => {
      for (const m of markets) controlled.add(m);
      await reconcile();
    },
    removeMarkets: async (markets) => {
      const removed: MarketKey[] = [];
      const kept: MarketKey[] = [];
      for (const m of markets) {
        controlled.delete(m);
        if (configured.has(m) || demanded.has(m)) kept.push(m);
        else removed.push(m);
      }
      await reconcile();
      return { removed, kept };
    },
    refreshDemand,
    metrics: () => metrics.snapshot(),
    health: () => {
      const now = nowMs();
      const stale = [...feeds.values()].filter((f) => f.status.state !== 'connected' && now - (f.status.disconnectedSinceMs ?? f.status.connectedSinceMs ?? now) > DEGRADED_AFTER_MS);
      const snapshot = metrics.snapshot();
      return {
        status: stale.length === 0 ? ('up' as const) : ('degraded' as const),
        uptimeMs: snapshot.uptimeMs,
        markets: feeds.size,
        connections: snapshot.connections,
        disconnectedMarkets: stale.map((f) => f.market),
        pendingBars: dispatcher.pendingBars(),
        ...deps.describe?.(),
      };
    },
    feed: (market) => feeds.get(market),
    idle: () => dispatcher.idle(),
    stop: async () => {
      if (stopping) return;
      stopping = true;
      clearInterval(sampler);
      clearInterval(closer);
      if (demandTimer) clearInterval(demandTimer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all([...feeds.values()].map((f) => f.stop()));
      feeds.clear();
      fanout?.stop();
      // Give queued bars a moment to go out; a stopped gateway resumes from stored candles anyway.
      await Promise.race([dispatcher.idle(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      dispatcher.stop();
      for (const pending of exchanges.values()) {
        await pending.then((e) => e.close()).catch(() => undefined);
      }
      exchanges.clear();
      await deps.onStop?.();
      log('info', 'stopped');
    },
  };

  const server: Server = createGatewayHttpServer(gateway, { controlKey: config.GATEWAY_CONTROL_KEY, log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.GATEWAY_PORT, config.GATEWAY_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.GATEWAY_HOST === '0.0.0.0' || config.GATEWAY_HOST === '::' ? '127.0.0.1' : config.GATEWAY_HOST;

  await refreshDemand();
  await reconcile();
  return { ...gateway, url: `http://${host}:${port}`, port };
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}
