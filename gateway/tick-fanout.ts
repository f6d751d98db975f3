/**
 * Ticks to Web PubSub: trades are coalesced per market (at most N ticks per second per market,
 * leading edge for quiet markets), and every flush sends all due markets at once, each as one
 * group message, with a bounded number of sends in flight. A market whose previous tick is still
 * in flight keeps coalescing instead of racing it, so a group never sees ticks out of order and a
 * slow service backs pressure up into coalescing rather than into memory.
 */
import type { JSONTypes } from '@azure/web-pubsub';
import type { TickPublisher } from '../shared/adapters/market-data/web-pubsub-tick-publisher.js';
import type { Bar, Trade } from '../shared/market/market-types.js';
import { TickCoalescer, type Tick } from '../shared/market/tick-coalescer.js';
import type { TickMessage } from '../shared/market/tick-message.js';
import type { GatewayLog } from './gateway-log.js';
import type { GatewayMetrics } from './gateway-metrics.js';

export interface TickFanoutOptions {
  readonly publisher: TickPublisher;
  readonly maxPerSecond: number;
  readonly groupFor: (market: string) => string;
  /** The 1m bar in progress, attached to each tick for live charts. */
  readonly openBar?: (market: string) => Bar | undefined;
  readonly metrics: GatewayMetrics;
  readonly log: GatewayLog;
  readonly nowMs: () => number;
  /** Sends in flight at most (default 256). */
  readonly maxInFlight?: number;
}

export class TickFanout {
  private readonly coalescer: TickCoalescer;
  private readonly inFlight = new Set<string>();
  private readonly maxInFlight: number;
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = Number.POSITIVE_INFINITY;
  private stopped = false;
  private lastErrorLogMs = 0;
  private readonly busy = (market: string): boolean => this.inFlight.has(market);
  private readonly settledWaiters: (() => void)[] = [];

  constructor(private readonly options: TickFanoutOptions) {
    this.coalescer = new TickCoalescer(options.maxPerSecond);
    this.maxInFlight = options.maxInFlight ?? 256;
  }

  offer(market: string, trade: Trade, receivedMs: number): void {
    if (this.stopped) return;
    const dueMs = this.coalescer.offer(market, trade, receivedMs);
    if (this.inFlight.has(market)) return; // rescheduled when the send settles
    if (dueMs <= receivedMs) this.flushSoon();
    else this.flushAt(dueMs);
  }

  remove(market: string): void {
    this.coalescer.remove(market);
  }

  stop(): void {
    this.stopped = true;
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
  }

  /** Resolves when no send is in flight (tests, graceful stop). */
  settled(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private flushSoon(): void {
    this.immediate ??= setImmediate(() => {
      this.immediate = undefined;
      this.flush();
    });
  }

  private flushAt(atMs: number): void {
    if (this.timer && this.timerAtMs <= atMs) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAtMs = atMs;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAtMs = Number.POSITIVE_INFINITY;
        this.flush();
      },
      Math.max(0, Math.ceil(atMs - this.options.nowMs())),
    );
  }

  private flush(): void {
    if (this.stopped) return;
    const now = this.options.nowMs();
    const room = this.maxInFlight - this.inFlight.size;
    if (room > 0) {
      for (const tick of this.coalescer.takeDue(now, room, this.busy)) this.send(tick, now);
    }
    if (this.inFlight.size >= this.maxInFlight) return; // a settling send flushes again
    const next = this.coalescer.nextDueMs(this.busy);
    if (next !== undefined) {
      if (next <= now) this.flushSoon();
      else this.flushAt(next);
    }
  }

  private send(tick: Tick, nowMs: number): void {
    const bar = this.options.openBar?.(tick.market);
    const message: TickMessage = {
      type: 'tick',
      market: tick.market,
      timeMs: tick.timeMs,
      price: tick.price,
      high: tick.high,
      low: tick.low,
      volume: tick.volume,
      trades: tick.trades,
      ...(bar ? { bar: [bar.openTimeMs, bar.open, bar.high, bar.low, bar.close, bar.volume] as [number, number, number, number, number, number] } : {}),
      sentMs: nowMs,
    };
    this.inFlight.add(tick.market);
    this.options.publisher.publish(this.options.groupFor(tick.market), message as unknown as JSONTypes).then(
      () => {
        this.options.metrics.count('ticksOut');
        this.settle(tick.market);
      },
      (e: unknown) => {
        this.options.metrics.count('tickPublishErrors');
        const now = this.options.nowMs();
        // One line per 10 s: a Web PubSub outage must not flood the log at the tick rate.
        if (now - this.lastErrorLogMs > 10_000) {
          this.lastErrorLogMs = now;
          this.options.log('warn', `tick publish to ${this.options.groupFor(tick.market)} failed: ${e instanceof Error ? e.message : String(e)}`);
        }
        this.settle(tick.market);
      },
    );
  }

  private settle(market: string): void {
    this.inFlight.delete(market);
    if (this.inFlight.size === 0) for (const resolve of this.settledWaiters.splice(0)) resolve();
    if (this.stopped) return;
    const next = this.coalescer.nextDueMs(this.busy);
    if (next === undefined) return;
    if (next <= this.options.nowMs()) this.flushSoon();
    else this.flushAt(next);
  }
}
