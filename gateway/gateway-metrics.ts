/**
 * Counters and rates for GET /metrics and /health: connections, messages in/out per second, lag
 * (local receive time minus exchange trade time), reconnects, backfills and sink health. Rates are
 * sampled once per second; "per second" figures are over the last full sample and over 10 s.
 */
export interface MarketStatus {
  readonly market: string;
  state: 'starting' | 'connected' | 'reconnecting' | 'stopped';
  connectedSinceMs: number | undefined;
  disconnectedSinceMs: number | undefined;
  lastTradeMs: number | undefined;
  lastError: string | undefined;
  tradesIn: number;
  reconnects: number;
  backfills: number;
  backfilledBars: number;
  /** Latest receive lag (ms) and a smoothed figure (EWMA, α = 0.1). */
  lagMs: number | undefined;
  lagAvgMs: number | undefined;
}

const COUNTERS = [
  'tradesIn',
  'ticksOut',
  'tickPublishErrors',
  'barsClosed',
  'barsEmitted',
  'duplicateBarsDropped',
  'lateTrades',
  'flatBarsFilled',
  'incompleteBarsEmitted',
  'backfills',
  'backfilledBars',
  'backfillErrors',
  'disconnects',
  'reconnects',
] as const;
export type CounterName = (typeof COUNTERS)[number];

interface SinkCounters {
  delivered: number;
  batches: number;
  retries: number;
  rejected: number;
  pending: number;
  lastError: string | undefined;
}

const WINDOW = 10;

export class GatewayMetrics {
  readonly counters: Record<CounterName, number> = Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<CounterName, number>;
  readonly markets = new Map<string, MarketStatus>();
  readonly sinks = new Map<string, SinkCounters>();
  private readonly samples: { atMs: number; tradesIn: number; ticksOut: number; barsEmitted: number }[] = [];
  private readonly startedMs: number;

  constructor(private readonly nowMs: () => number) {
    this.startedMs = nowMs();
    this.sample();
  }

  count(name: CounterName, n = 1): void {
    this.counters[name] += n;
  }

  market(market: string): MarketStatus {
    let status = this.markets.get(market);
    if (!status) {
      status = {
        market,
        state: 'starting',
        connectedSinceMs: undefined,
        disconnectedSinceMs: undefined,
        lastTradeMs: undefined,
        lastError: undefined,
        tradesIn: 0,
        reconnects: 0,
        backfills: 0,
        backfilledBars: 0,
        lagMs: undefined,
        lagAvgMs: undefined,
      };
      this.markets.set(market, status);
    }
    return status;
  }

  recordLag(status: MarketStatus, lagMs: number): void {
    status.lagMs = lagMs;
    status.lagAvgMs = status.lagAvgMs === undefined ? lagMs : status.lagAvgMs + 0.1 * (lagMs - status.lagAvgMs);
  }

  sink(name: string): SinkCounters {
    let s = this.sinks.get(name);
    if (!s) {
      s = { delivered: 0, batches: 0, retries: 0, rejected: 0, pending: 0, lastError: undefined };
      this.sinks.set(name, s);
    }
    return s;
  }

  /** Called once per second. */
  sample(): void {
    this.samples.push({ atMs: this.nowMs(), tradesIn: this.counters.tradesIn, ticksOut: this.counters.ticksOut, barsEmitted: this.counters.barsEmitted });
    if (this.samples.length > WINDOW + 1) this.samples.shift();
  }

  snapshot(): GatewayMetricsSnapshot {
    const last = this.samples[this.samples.length - 1]!;
    const prev = this.samples[this.samples.length - 2];
    const first = this.samples[0]!;
    const rate = (key: 'tradesIn' | 'ticksOut' | 'barsEmitted', from: typeof last | undefined): number => {
      if (!from || last.atMs <= from.atMs) return 0;
      return Math.round(((last[key] - from[key]) * 1000) / (last.atMs - from.atMs));
    };
    const markets = [...this.markets.values()].map((m) => ({ ...m }));
    const lags = markets.map((m) => m.lagAvgMs).filter((l): l is number => l !== undefined);
    return {
      uptimeMs: this.nowMs() - this.startedMs,
      connections: markets.filter((m) => m.state === 'connected').length,
      markets: markets.length,
      messagesInPerSecond: { last: rate('tradesIn', prev), avg10s: rate('tradesIn', first) },
      messagesOutPerSecond: { ticks: { last: rate('ticksOut', prev), avg10s: rate('ticksOut', first) }, bars: { last: rate('barsEmitted', prev), avg10s: rate('barsEmitted', first) } },
      lagMs: { maxOfMarketAverages: lags.length > 0 ? Math.round(Math.max(...lags)) : null },
      reconnects: this.counters.reconnects,
      counters: { ...this.counters },
      sinks: Object.fromEntries([...this.sinks.entries()].map(([k, v]) => [k, { ...v }])),
      perMarket: markets,
    };
  }
}

export interface GatewayMetricsSnapshot {
  readonly uptimeMs: number;
  readonly connections: number;
  readonly markets: number;
  readonly messagesInPerSecond: { readonly last: number; readonly avg10s: number };
  readonly messagesOutPerSecond: {
    readonly ticks: { readonly last: number; readonly avg10s: number };
    readonly bars: { readonly last: number; readonly avg10s: number };
  };
  readonly lagMs: { readonly maxOfMarketAverages: number | null };
  readonly reconnects: number;
  readonly counters: Readonly<Record<CounterName, number>>;
  readonly sinks: Readonly<Record<string, SinkCounters>>;
  readonly perMarket: readonly MarketStatus[];
}
