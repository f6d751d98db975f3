/**
 * Coalesces trades into ticks for publishing: at most `maxPerSecond` ticks per market. A market that
 * has been quiet for a full interval is due at once (leading edge, so a lone trade is not delayed);
 * otherwise trades accumulate until the interval has passed and go out as one tick carrying the
 * latest price plus the high, low, volume and count of everything it replaced (trailing edge).
 */
import type { Trade } from './market-types.js';

export interface Tick {
  readonly market: string;
  /** Exchange time of the latest trade. */
  readonly timeMs: number;
  readonly price: number;
  /** Over the trades this tick coalesces. */
  readonly high: number;
  readonly low: number;
  readonly volume: number;
  readonly trades: number;
  /** Local time the latest trade was received (for lag and tick-to-client latency). */
  readonly receivedMs: number;
}

interface Pending {
  readonly market: string;
  timeMs: number;
  price: number;
  high: number;
  low: number;
  volume: number;
  trades: number;
  receivedMs: number;
  /** Earliest time the next tick of this market may go out. */
  nextAllowedMs: number;
  pending: boolean;
}

export class TickCoalescer {
  readonly intervalMs: number;
  private readonly markets = new Map<string, Pending>();
  private readonly pendingMarkets = new Set<Pending>();

  constructor(maxPerSecond: number) {
    if (!(maxPerSecond > 0)) throw new RangeError('maxPerSecond must be positive');
    this.intervalMs = 1000 / maxPerSecond;
  }

  /** Records a trade; returns the time the market's tick is due (≤ receivedMs when due now). */
  offer(market: string, trade: Trade, receivedMs: number): number {
    let p = this.markets.get(market);
    if (p === undefined) {
      p = { market, timeMs: 0, price: 0, high: 0, low: 0, volume: 0, trades: 0, receivedMs: 0, nextAllowedMs: Number.NEGATIVE_INFINITY, pending: false };
      this.markets.set(market, p);
    }
    if (!p.pending) {
      p.pending = true;
      p.high = trade.price;
      p.low = trade.price;
      p.volume = 0;
      p.trades = 0;
      this.pendingMarkets.add(p);
    } else {
      if (trade.price > p.high) p.high = trade.price;
      if (trade.price < p.low) p.low = trade.price;
    }
    // Exchanges can deliver a batch out of order; the tick shows the newest print.
    if (trade.timestampMs >= p.timeMs) {
      p.timeMs = trade.timestampMs;
      p.price = trade.price;
    }
    p.volume += trade.amount;
    p.trades++;
    p.receivedMs = receivedMs;
    return p.nextAllowedMs;
  }

  /**
   * Takes up to `limit` ticks that are due at `nowMs` and starts each market's next interval.
   * Markets for which `busy` answers true stay pending (e.g. their previous tick is still being sent).
   */
  takeDue(nowMs: number, limit = Number.POSITIVE_INFINITY, busy?: (market: string) => boolean): Tick[] {
    const due: Tick[] = [];
    for (const p of this.pendingMarkets) {
      if (due.length >= limit) break;
      if (p.nextAllowedMs > nowMs || busy?.(p.market)) continue;
      due.push({ market: p.market, timeMs: p.timeMs, price: p.price, high: p.high, low: p.low, volume: p.volume, trades: p.trades, receivedMs: p.receivedMs });
      p.pending = false;
      p.nextAllowedMs = nowMs + this.intervalMs;
      this.pendingMarkets.delete(p);
    }
    return due;
  }

  /** Earliest time a pending tick becomes due, or undefined when nothing is pending. */
  nextDueMs(busy?: (market: string) => boolean): number | undefined {
    let next: number | undefined;
    for (const p of this.pendingMarkets) {
      if (busy?.(p.market)) continue;
      if (next === undefined || p.nextAllowedMs < next) next = p.nextAllowedMs;
    }
    return next;
  }

  get pendingCount(): number {
    return this.pendingMarkets.size;
  }

  /** Forgets a market (unsubscribed): its pending tick is dropped. */
  remove(market: string): void {
    const p = this.markets.get(market);
    if (p) this.pendingMarkets.delete(p);
    this.markets.delete(market);
  }
}
