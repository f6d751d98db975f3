/**
 * Builds OHLCV bars of several timeframes for one market from its trades, using the exchange's
 * timestamps. A bar closes when a trade of a later bucket arrives or when `closeUntil` is told that
 * exchange time has passed its end; buckets without trades while the feed was connected become flat
 * bars (volume 0 at the previous close), so a connected feed yields a contiguous sequence.
 *
 * Every closed bar says whether the builder saw all of its trades (`complete`). The first bar after
 * start and every bar overlapping a feed gap (`markGap`) are incomplete: the gateway replaces them
 * with the exchange's own bar (fetchOHLCV) before emitting. Across a gap no flat bars are invented;
 * the missing buckets are left for the backfill.
 */
import type { Bar, Trade } from './market-types.js';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from './timeframes.js';

export interface ClosedBar {
  readonly timeframe: Timeframe;
  readonly bar: Bar;
  /** False when trades of this bar may be missing (started mid-bar, or a feed gap overlapped it). */
  readonly complete: boolean;
}

interface OpenBar {
  openTimeMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  complete: boolean;
}

interface TimeframeState {
  readonly timeframe: Timeframe;
  readonly sizeMs: number;
  current: OpenBar | undefined;
  /** Open time and close of the last bar this builder closed (flat fills continue from there). */
  lastClosedOpenMs: number | undefined;
  lastClose: number;
}

export interface BarBuilderOptions {
  readonly timeframes?: readonly Timeframe[];
  /** Most flat bars one call may invent; a longer silence is treated as a gap (default 10,000). */
  readonly maxFlatFill?: number;
}

const NONE: readonly ClosedBar[] = Object.freeze([]);

export class BarBuilder {
  private readonly states: TimeframeState[];
  private readonly maxFlatFill: number;
  private gap = false;
  /** Trades older than the open bar of some timeframe (they arrived after that bar closed). */
  lateTrades = 0;

  constructor(options: BarBuilderOptions = {}) {
    const timeframes = options.timeframes ?? TIMEFRAMES;
    this.states = timeframes.map((timeframe) => ({ timeframe, sizeMs: TIMEFRAME_MS[timeframe], current: undefined, lastClosedOpenMs: undefined, lastClose: 0 }));
    this.maxFlatFill = options.maxFlatFill ?? 10_000;
  }

  /** The feed lost trades from now until the next `addTrade`: open bars and the resumed bar are incomplete. */
  markGap(): void {
    this.gap = true;
    for (const s of this.states) if (s.current) s.current.complete = false;
  }

  get inGap(): boolean {
    return this.gap;
  }

  /** Adds one trade; returns the bars it closed, oldest first per timeframe. */
  addTrade(trade: Trade): readonly ClosedBar[] {
    let closed: ClosedBar[] | undefined;
    const resumed = this.gap;
    this.gap = false;
    const t = trade.timestampMs;
    let late = false;
    for (const s of this.states) {
      const bucket = Math.floor(t / s.sizeMs) * s.sizeMs;
      const cur = s.current;
      if (cur !== undefined && bucket === cur.openTimeMs) {
        if (trade.price > cur.high) cur.high = trade.price;
        if (trade.price < cur.low) cur.low = trade.price;
        cur.close = trade.price;
        cur.volume += trade.amount;
        continue;
      }
      const lastOpen = cur !== undefined ? cur.openTimeMs : s.lastClosedOpenMs;
      if (lastOpen !== undefined && bucket <= lastOpen) {
        late = true;
        continue;
      }
      closed ??= [];
      let continuous = !resumed && lastOpen !== undefined;
      if (cur !== undefined) {
        closed.push(closeBar(s, cur));
      }
      if (continuous && s.lastClosedOpenMs !== undefined) {
        continuous = this.flatFill(s, bucket, closed);
      }
      s.current = { openTimeMs: bucket, open: trade.price, high: trade.price, low: trade.price, close: trade.price, volume: trade.amount, complete: continuous };
    }
    if (late) this.lateTrades++;
    return closed ?? NONE;
  }

  /**
   * Exchange time has reached `exchangeTimeMs` with no newer trade: closes bars that ended and emits
   * flat bars for buckets that passed without trades. Does nothing while the feed is in a gap.
   */
  closeUntil(exchangeTimeMs: number): readonly ClosedBar[] {
    if (this.gap) return NONE;
    let closed: ClosedBar[] | undefined;
    for (const s of this.states) {
      const cur = s.current;
      if (cur !== undefined) {
        if (cur.openTimeMs + s.sizeMs > exchangeTimeMs) continue;
        closed ??= [];
        closed.push(closeBar(s, cur));
        s.current = undefined;
      }
      if (s.lastClosedOpenMs === undefined) continue;
      const currentBucket = Math.floor(exchangeTimeMs / s.sizeMs) * s.sizeMs;
      if (s.lastClosedOpenMs + s.sizeMs < currentBucket) {
        closed ??= [];
        if (!this.flatFill(s, currentBucket, closed)) {
          // Too long a silence to fill: let the next trade start an incomplete bar (backfilled).
          this.gap = true;
        }
      }
    }
    return closed ?? NONE;
  }

  /** The bar currently being built for `timeframe`, if any (for live charts). */
  openBar(timeframe: Timeframe): (Bar & { readonly complete: boolean }) | undefined {
    const cur = this.states.find((s) => s.timeframe === timeframe)?.current;
    return cur ? { ...cur } : undefined;
  }

  /** Emits flat bars for the empty buckets before `bucket`; false when there were too many. */
  private flatFill(s: TimeframeState, bucket: number, out: ClosedBar[]): boolean {
    const from = (s.lastClosedOpenMs ?? bucket) + s.sizeMs;
    if ((bucket - from) / s.sizeMs > this.maxFlatFill) return false;
    for (let open = from; open < bucket; open += s.sizeMs) {
      const price = s.lastClose;
      out.push({ timeframe: s.timeframe, bar: { openTimeMs: open, open: price, high: price, low: price, close: price, volume: 0 }, complete: true });
      s.lastClosedOpenMs = open;
    }
    return true;
  }
}

function closeBar(s: TimeframeState, cur: OpenBar): ClosedBar {
  s.lastClosedOpenMs = cur.openTimeMs;
  s.lastClose = cur.close;
  return {
    timeframe: s.timeframe,
    bar: { openTimeMs: cur.openTimeMs, open: cur.open, high: cur.high, low: cur.low, close: cur.close, volume: cur.volume },
    complete: cur.complete,
  };
}
