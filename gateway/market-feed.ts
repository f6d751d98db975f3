/**
 * One market's live feed: a watchTrades loop that reconnects with exponential backoff and jitter,
 * the bar builder (exchange timestamps), one sequencer pipeline per timeframe, and the tick fanout.
 * A failed watch marks a gap in the builder, so the bars around the outage are backfilled from the
 * exchange before anything newer is emitted.
 */
import { WatchStoppedError, type MarketDataExchange } from '../shared/adapters/market-data/market-data-exchange.js';
import type { CandleHistory } from '../shared/adapters/market-data/cosmos-candle-store.js';
import { BarBuilder } from '../shared/market/bar-builder.js';
import { backoffDelayMs, type BackoffPolicy } from '../shared/market/backoff.js';
import type { MarketKey, MarketRef } from '../shared/market/market-key.js';
import type { Bar } from '../shared/market/market-types.js';
import type { Timeframe } from '../shared/market/timeframes.js';
import type { BarDispatcher } from './bar-dispatcher.js';
import { BarPipeline, errorText } from './bar-pipeline.js';
import type { GatewayLog } from './gateway-log.js';
import type { GatewayMetrics, MarketStatus } from './gateway-metrics.js';
import type { TickFanout } from './tick-fanout.js';

export interface MarketFeedDeps {
  readonly exchange: () => Promise<MarketDataExchange>;
  readonly timeframes: readonly Timeframe[];
  readonly dispatcher: BarDispatcher;
  readonly history: CandleHistory | undefined;
  readonly fanout: TickFanout | undefined;
  readonly metrics: GatewayMetrics;
  readonly log: GatewayLog;
  readonly reconnect: BackoffPolicy;
  readonly retry: BackoffPolicy;
  readonly random: () => number;
  readonly nowMs: () => number;
  readonly maxBackfillBars: number;
  /** Exchange time must pass a bar's end by this much before a quiet market's bar is closed by time. */
  readonly closeGraceMs: number;
}

export class MarketFeed {
  readonly builder: BarBuilder;
  readonly pipelines: ReadonlyMap<Timeframe, BarPipeline>;
  readonly status: MarketStatus;
  private stopped = false;
  private running: Promise<void> | undefined;
  private exchangeInUse: MarketDataExchange | undefined;
  private lastTradeMs: number | undefined;
  private lastReceivedMs = 0;
  private wake: (() => void) | undefined;

  constructor(
    readonly ref: MarketRef,
    readonly market: MarketKey,
    private readonly deps: MarketFeedDeps,
  ) {
    this.builder = new BarBuilder({ timeframes: deps.timeframes });
    this.status = deps.metrics.market(market);
    this.status.state = 'starting';
    this.pipelines = new Map(
      deps.timeframes.map((timeframe) => [
        timeframe,
        new BarPipeline({
          ref,
          market,
          timeframe,
          exchange: deps.exchange,
          dispatcher: deps.dispatcher,
          history: deps.history,
          metrics: deps.metrics,
          status: this.status,
          log: deps.log,
          retry: deps.retry,
          random: deps.random,
          maxBackfillBars: deps.maxBackfillBars,
        }),
      ]),
    );
  }

  start(): void {
    this.running ??= this.run();
  }

  /** The 1m bar in progress (for ticks). */
  openBar(): Bar | undefined {
    return this.builder.openBar('1m');
  }

  /** Closes bars of a quiet market once exchange time (estimated from the last trade) passed their end. */
  closeByTime(nowMs: number): void {
    if (this.lastTradeMs === undefined || this.status.state !== 'connected') return;
    const exchangeNowMs = this.lastTradeMs + (nowMs - this.lastReceivedMs);
    this.route(this.builder.closeUntil(exchangeNowMs - this.deps.closeGraceMs));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const exchange = this.exchangeInUse;
    if (exchange) await exchange.unwatchTrades(this.ref.symbol).catch(() => undefined);
    // An exchange without unwatch leaves the watch pending: do not wait for it forever.
    await Promise.race([this.running, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    for (const p of this.pipelines.values()) p.stop();
    this.deps.fanout?.remove(this.market);
    this.status.state = 'stopped';
  }

  private async run(): Promise<void> {
    const { metrics, log } = this.deps;
    let attempt = 0;
    while (!this.stopped) {
      try {
        const exchange = await this.deps.exchange();
        this.exchangeInUse = exchange;
        const batch = await exchange.watchTrades(this.ref.symbol);
        if (this.stopped) break;
        if (batch.resumed && this.status.state === 'connected') {
          // The exchange client reconnected between two watches without telling: same as a drop.
          this.builder.markGap();
          metrics.count('disconnects');
          metrics.count('reconnects');
          this.status.reconnects++;
          log('warn', `${this.market}: stream was re-established by the exchange client; treating it as a gap`);
        }
        if (this.status.state !== 'connected') {
          this.status.state = 'connected';
          this.status.connectedSinceMs = this.deps.nowMs();
          this.status.disconnectedSinceMs = undefined;
          if (attempt > 0) log('info', `${this.market}: stream restored`);
        }
        attempt = 0;
        this.onTrades(batch.trades);
      } catch (e) {
        if (this.stopped) break;
        if (e instanceof WatchStoppedError) {
          log('warn', `${this.market}: stream stopped (${e.message})`);
        }
        this.builder.markGap();
        const now = this.deps.nowMs();
        if (this.status.state === 'connected') {
          metrics.count('disconnects');
          this.status.disconnectedSinceMs = now;
        }
        this.status.disconnectedSinceMs ??= now;
        this.status.state = 'reconnecting';
        this.status.lastError = errorText(e);
        const delay = backoffDelayMs(this.deps.reconnect, attempt++, this.deps.random);
        log(attempt === 1 ? 'warn' : 'debug', `${this.market}: stream failed (${this.status.lastError}); reconnect ${attempt} in ${delay} ms`);
        await this.sleep(delay);
        if (this.stopped) break;
        metrics.count('reconnects');
        this.status.reconnects++;
      }
    }
  }

  private onTrades(trades: readonly { timestampMs: number; price: number; amount: number }[]): void {
    if (trades.length === 0) return;
    const receivedMs = this.deps.nowMs();
    const fanout = this.deps.fanout;
    const lateBefore = this.builder.lateTrades;
    let latest = this.lastTradeMs ?? Number.NEGATIVE_INFINITY;
    for (const trade of trades) {
      const closed = this.builder.addTrade(trade);
      if (closed.length > 0) this.route(closed);
      fanout?.offer(this.market, trade, receivedMs);
      if (trade.timestampMs > latest) latest = trade.timestampMs;
    }
    this.lastTradeMs = latest;
    this.lastReceivedMs = receivedMs;
    this.status.lastTradeMs = latest;
    this.status.tradesIn += trades.length;
    this.deps.metrics.count('tradesIn', trades.length);
    this.deps.metrics.count('lateTrades', this.builder.lateTrades - lateBefore);
    this.deps.metrics.recordLag(this.status, receivedMs - latest);
  }

  private route(closed: readonly { timeframe: Timeframe; bar: Bar; complete: boolean }[]): void {
    for (const c of closed) this.pipelines.get(c.timeframe)?.push(c);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
