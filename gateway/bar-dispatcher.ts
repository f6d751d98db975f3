/**
 * Delivers sequenced bar batches to each sink in order per market and timeframe, retrying with
 * exponential backoff and jitter until the sink accepts (receivers are idempotent, so a retry after
 * a lost response is harmless). Queued batches of one key are merged into one delivery, which keeps
 * a backlog after an outage to a few requests. A batch the sink rejects for good is logged and
 * skipped: retrying identical bytes cannot succeed and would block every later bar.
 */
import { BarRejectedError, type BarBatch, type BarSink } from '../shared/adapters/market-data/bar-sink.js';
import { backoffDelayMs, type BackoffPolicy } from '../shared/market/backoff.js';
import type { GatewayLog } from './gateway-log.js';
import type { GatewayMetrics } from './gateway-metrics.js';

export interface BarDispatcherOptions {
  readonly sinks: readonly BarSink[];
  readonly metrics: GatewayMetrics;
  readonly log: GatewayLog;
  readonly retry: BackoffPolicy;
  readonly random: () => number;
  /** Most bars merged into one delivery (default 500). */
  readonly maxBarsPerDelivery?: number;
}

interface KeyQueue {
  readonly batches: BarBatch[];
  running: boolean;
}

export class BarDispatcher {
  private readonly queues = new Map<BarSink, Map<string, KeyQueue>>();
  private readonly maxBars: number;
  private stopped = false;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wakeups = new Set<() => void>();

  constructor(private readonly options: BarDispatcherOptions) {
    this.maxBars = options.maxBarsPerDelivery ?? 500;
    for (const sink of options.sinks) {
      this.queues.set(sink, new Map());
      options.metrics.sink(sink.name);
    }
  }

  dispatch(batch: BarBatch): void {
    if (this.stopped || batch.bars.length === 0) return;
    const key = `${batch.market}|${batch.timeframe}`;
    for (const [sink, byKey] of this.queues) {
      let queue = byKey.get(key);
      if (!queue) {
        queue = { batches: [], running: false };
        byKey.set(key, queue);
      }
      queue.batches.push(batch);
      this.options.metrics.sink(sink.name).pending += batch.bars.length;
      if (!queue.running) void this.drain(sink, queue);
    }
  }

  /** Resolves when every queue is empty (tests, graceful stop). */
  idle(): Promise<void> {
    if (this.pendingBars() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  pendingBars(): number {
    let n = 0;
    for (const byKey of this.queues.values()) for (const q of byKey.values()) for (const b of q.batches) n += b.bars.length;
    return n;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const wake of this.wakeups) wake();
    this.wakeups.clear();
  }

  private async drain(sink: BarSink, queue: KeyQueue): Promise<void> {
    queue.running = true;
    const counters = this.options.metrics.sink(sink.name);
    let attempt = 0;
    while (!this.stopped && queue.batches.length > 0) {
      const { merged, count } = this.mergeHead(queue.batches);
      try {
        await sink.deliver(merged);
        queue.batches.splice(0, count);
        counters.delivered += merged.bars.length;
        counters.batches++;
        counters.pending -= merged.bars.length;
        attempt = 0;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        counters.lastError = message;
        if (e instanceof BarRejectedError) {
          queue.batches.splice(0, count);
          counters.rejected += merged.bars.length;
          counters.pending -= merged.bars.length;
          this.options.log('error', `${sink.name}: dropped ${merged.bars.length} ${merged.timeframe} bar(s) of ${merged.market} the sink rejected: ${message}`);
          continue;
        }
        counters.retries++;
        const delay = backoffDelayMs(this.options.retry, attempt++, this.options.random);
        this.options.log(attempt === 1 ? 'warn' : 'debug', `${sink.name}: delivery of ${merged.market} ${merged.timeframe} failed (${message}); retry ${attempt} in ${delay} ms`);
        await this.sleep(delay);
      }
    }
    queue.running = false;
    if (this.pendingBars() === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private mergeHead(batches: readonly BarBatch[]): { merged: BarBatch; count: number } {
    const head = batches[0]!;
    let bars = head.bars;
    let count = 1;
    while (count < batches.length && bars.length + batches[count]!.bars.length <= this.maxBars) {
      bars = bars.concat(batches[count]!.bars);
      count++;
    }
    return { merged: count === 1 ? head : { ...head, bars }, count };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.wakeups.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.timers.add(timer);
      this.wakeups.add(wake);
    });
  }
}
