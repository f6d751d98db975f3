/**
 * The sequencer of one market and timeframe: takes the builder's closed bars in order, backfills
 * holes and incomplete bars from the exchange (fetchOHLCV, paged, retried with backoff) before
 * emitting anything newer, drops duplicates, and hands contiguous batches to the dispatcher.
 * Bars queue behind a backfill in progress, so emission order is always time order.
 */
import type { MarketDataExchange } from '../shared/adapters/market-data/market-data-exchange.js';
import type { CandleHistory } from '../shared/adapters/market-data/cosmos-candle-store.js';
import type { ClosedBar } from '../shared/market/bar-builder.js';
import { advance, EMPTY_SEQUENCER_STATE, mergeBackfill, planBar, type SequencerState } from '../shared/market/bar-sequencer.js';
import { backoffDelayMs, type BackoffPolicy } from '../shared/market/backoff.js';
import type { MarketKey, MarketRef } from '../shared/market/market-key.js';
import type { Bar } from '../shared/market/market-types.js';
import { TIMEFRAME_MS, type Timeframe } from '../shared/market/timeframes.js';
import type { BarDispatcher } from './bar-dispatcher.js';
import type { GatewayLog } from './gateway-log.js';
import type { GatewayMetrics, MarketStatus } from './gateway-metrics.js';

export interface BarPipelineDeps {
  readonly ref: MarketRef;
  readonly market: MarketKey;
  readonly timeframe: Timeframe;
  readonly exchange: () => Promise<MarketDataExchange>;
  readonly dispatcher: BarDispatcher;
  readonly history: CandleHistory | undefined;
  readonly metrics: GatewayMetrics;
  readonly status: MarketStatus;
  readonly log: GatewayLog;
  readonly retry: BackoffPolicy;
  readonly random: () => number;
  readonly maxBackfillBars: number;
  /** Bars per fetchOHLCV page (exchanges cap it; Binance at 1000). */
  readonly pageLimit?: number;
}

export class BarPipeline {
  private state: SequencerState = EMPTY_SEQUENCER_STATE;
  private readonly queue: ClosedBar[] = [];
  private running = false;
  private stopped = false;
  private seeded: Promise<void> | undefined;
  private readonly sizeMs: number;
  private wake: (() => void) | undefined;

  constructor(private readonly deps: BarPipelineDeps) {
    this.sizeMs = TIMEFRAME_MS[deps.timeframe];
  }

  push(closed: ClosedBar): void {
    if (this.stopped) return;
    this.deps.metrics.count('barsClosed');
    this.queue.push(closed);
    if (!this.running) void this.run();
  }

  /** Last emitted bar open time (tests, status). */
  get lastEmittedOpenMs(): number | undefined {
    return this.state.lastOpenMs;
  }

  get backlog(): number {
    return this.queue.length;
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      this.seeded ??= this.seedFromHistory();
      await this.seeded;
      while (!this.stopped && this.queue.length > 0) {
        const closed = this.queue[0]!;
        await this.process(closed);
        this.queue.shift();
      }
    } finally {
      this.running = false;
    }
  }

  /** Continues after the last stored bar, so a restart backfills what the gateway missed. */
  private async seedFromHistory(): Promise<void> {
    if (!this.deps.history) return;
    try {
      const last = await this.deps.history.latest(this.deps.market, this.deps.timeframe);
      if (last) this.state = { lastOpenMs: last.openTimeMs, lastClose: last.close };
    } catch (e) {
      this.deps.log('warn', `${this.deps.market} ${this.deps.timeframe}: cannot read stored candles (${errorText(e)}); continuing without history`);
    }
  }

  private async process(closed: ClosedBar): Promise<void> {
    const { metrics } = this.deps;
    const plan = planBar(this.state, this.sizeMs, closed, this.deps.maxBackfillBars);
    if (plan.kind === 'duplicate') {
      metrics.count('duplicateBarsDropped');
      return;
    }
    if (plan.kind === 'emit') {
      this.emit(plan.bars);
      return;
    }
    const fetched = await this.fetchRange(plan.fromMs, plan.toMs);
    if (fetched === undefined) return; // stopped
    const merged = mergeBackfill(this.state, this.sizeMs, closed, plan.fromMs, fetched);
    metrics.count('backfills');
    metrics.count('backfilledBars', merged.bars.length - 1);
    metrics.count('flatBarsFilled', merged.filledFlat);
    this.deps.status.backfills++;
    this.deps.status.backfilledBars += merged.bars.length - 1;
    if (merged.usedIncompleteBar) metrics.count('incompleteBarsEmitted');
    this.deps.log(
      'info',
      `${this.deps.market} ${this.deps.timeframe}: backfilled ${new Date(plan.fromMs).toISOString()}..${new Date(plan.toMs).toISOString()} (${fetched.length} from the exchange, ${merged.filledFlat} flat)`,
    );
    this.emit(merged.bars);
  }

  private emit(bars: readonly Bar[]): void {
    if (bars.length === 0) return;
    this.state = advance(this.state, bars);
    this.deps.metrics.count('barsEmitted', bars.length);
    this.deps.dispatcher.dispatch({ market: this.deps.market, exchange: this.deps.ref.exchange, symbol: this.deps.ref.symbol, timeframe: this.deps.timeframe, bars });
  }

  /** Exchange bars with open time in [fromMs, toMs]; retried until it works or the pipeline stops. */
  private async fetchRange(fromMs: number, toMs: number): Promise<Bar[] | undefined> {
    const pageLimit = this.deps.pageLimit ?? 1000;
    let attempt = 0;
    while (!this.stopped) {
      try {
        const exchange = await this.deps.exchange();
        const out: Bar[] = [];
        let since = fromMs;
        while (since <= toMs) {
          const want = Math.min(pageLimit, Math.floor((toMs - since) / this.sizeMs) + 1);
          const page = await exchange.fetchOhlcv(this.deps.ref.symbol, this.deps.timeframe, since, want);
          let next = since;
          for (const bar of page) {
            if (bar.openTimeMs >= since && bar.openTimeMs <= toMs) out.push(bar);
            if (bar.openTimeMs >= next) next = bar.openTimeMs + this.sizeMs;
          }
          // An empty or stale page means the exchange has nothing more in range.
          if (page.length === 0 || next <= since) break;
          since = next;
        }
        return out;
      } catch (e) {
        this.deps.metrics.count('backfillErrors');
        const delay = backoffDelayMs(this.deps.retry, attempt++, this.deps.random);
        this.deps.log('warn', `${this.deps.market} ${this.deps.timeframe}: backfill fetch failed (${errorText(e)}); retry in ${delay} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
    return undefined;
  }
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message.split('\n')[0]! : String(e));
