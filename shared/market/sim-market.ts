/**
 * The built-in `sim` exchange's price source: a seeded, deterministic random walk that any process
 * can evaluate at any time, so the gateway (live trades and bars) and the paper exchange (fills)
 * see the same prices without talking to each other. Pure: time is always an argument.
 *
 * Construction, coarse to fine, all from a counter-based hash of (seed, market, level, index):
 * - hourly log prices: an Ornstein–Uhlenbeck walk from the genesis hour (volatility from the
 *   market's annualized figure, slow pull back to the start price so years of sim stay plausible);
 * - within an hour: per-second log prices on a Brownian bridge between the two hourly values;
 * - within a second: a Poisson number of trades at uniform millisecond offsets, priced at the
 *   interpolated mid plus/minus the half spread (buyer lifts the ask, seller hits the bid), rounded
 *   to the tick; sizes are log-normal, rounded to the lot.
 * Evaluating a second costs O(trades) once its hour is cached; hourly aggregates are memoized so
 * daily bars stay cheap.
 */
import { mergeBars, type Bar, type Trade } from './market-types.js';
import { fnv1a, hash, mix, normal, unit } from './seeded-hash.js';
import { TIMEFRAME_MS, type Timeframe } from './timeframes.js';

/** What the sim exchange publishes about a market (`GET /api/v1/markets`). */
export interface SimMarketInfo {
  readonly symbol: string;
  readonly tickSize: number;
  readonly lotSize: number;
}

export interface SimMarketSpec extends SimMarketInfo {
  /** Price at genesis and the level the walk slowly reverts to. */
  readonly startPrice: number;
  /** Annualized volatility of log returns, e.g. 0.6 for 60%. */
  readonly annualVolatility: number;
  /** Mean trade arrivals per second of sim time. */
  readonly tradesPerSecond: number;
  /** Mean trade size in base units. */
  readonly meanTradeSize: number;
  /** Half the bid/ask spread in basis points of the mid. */
  readonly halfSpreadBps: number;
}

/** The default sim markets: crypto-like and stock-like volatility, volume and price increments. */
export const SIM_MARKETS: readonly SimMarketSpec[] = [
  { symbol: 'SIM-BTC/USD', startPrice: 60_000, annualVolatility: 0.6, tradesPerSecond: 8, meanTradeSize: 0.05, tickSize: 0.01, lotSize: 0.00001, halfSpreadBps: 0.5 },
  { symbol: 'SIM-ETH/USD', startPrice: 3_000, annualVolatility: 0.75, tradesPerSecond: 6, meanTradeSize: 0.8, tickSize: 0.01, lotSize: 0.0001, halfSpreadBps: 1 },
  { symbol: 'SIM-AAPL', startPrice: 190, annualVolatility: 0.25, tradesPerSecond: 3, meanTradeSize: 60, tickSize: 0.01, lotSize: 1, halfSpreadBps: 2 },
];

/** Sim time starts here; there are no trades before it. */
export const SIM_GENESIS_MS = Date.UTC(2024, 0, 1);
export const DEFAULT_SIM_SEED = 7;

const HOUR_MS = 3_600_000;
const HOURS_PER_YEAR = 8_766;
const SECONDS_PER_HOUR = 3_600;
/** Half-life of the pull back to the start price: 180 days of hours. */
const REVERSION_PER_HOUR = Math.LN2 / (180 * 24);
const SIZE_DISPERSION = 0.9;

const STREAM_HOUR = 1;
const STREAM_SECOND = 2;
const STREAM_COUNT = 3;
const STREAM_TRADE = 4;

export interface SimQuote {
  readonly bid: number;
  readonly ask: number;
  readonly mid: number;
}

/**
 * What the sim exchange serves from a market, whatever makes its prices (the seeded walk below, or
 * a CSV replay in csv-replay-market.ts). Pure and deterministic: time is always an argument, so every
 * process that builds the same source sees the same trades.
 */
export interface SimPriceSource {
  readonly spec: SimMarketInfo;
  /** Trades with `fromMs <= timestampMs < toMs`, oldest first. */
  tradesBetween(fromMs: number, toMs: number): Trade[];
  /** Calls `visit` for each trade in [fromMs, toMs) without building an array. */
  forEachTrade(fromMs: number, toMs: number, visit: (trade: Trade) => void): void;
  /** Bid, ask and mid at `timeMs` (what a paper exchange fills against). */
  quoteAt(timeMs: number): SimQuote;
  /** The latest trade at or before `timeMs`, or undefined. */
  lastTradeAt(timeMs: number): Trade | undefined;
  /**
   * Exchange-style OHLCV: up to `limit` bars from the bucket containing `sinceMs`, the last one
   * possibly still open at `untilMs` (the exchange's "now"); buckets without trades are flat at the
   * previous trade price with volume 0.
   */
  ohlcv(timeframe: Timeframe, sinceMs: number, limit: number, untilMs: number): Bar[];
}

/** A sim market bound to a seed: trades, quotes and OHLCV at any sim time. */
export class SimMarket implements SimPriceSource {
  readonly spec: SimMarketSpec;
  private readonly seed: number;
  private readonly hourSigma: number;
  private readonly secondSigma: number;
  private readonly logStart: number;
  private readonly halfSpread: number;
  private readonly hourLogs: number[] = [];
  private readonly bridges = new Map<number, Float64Array>();
  private readonly hourAggregates = new Map<number, Bar | null>();

  constructor(spec: SimMarketSpec, seed: number = DEFAULT_SIM_SEED) {
    this.spec = spec;
    this.seed = mix((seed >>> 0) ^ fnv1a(spec.symbol));
    this.hourSigma = spec.annualVolatility / Math.sqrt(HOURS_PER_YEAR);
    this.secondSigma = this.hourSigma / Math.sqrt(SECONDS_PER_HOUR);
    this.logStart = Math.log(spec.startPrice);
    this.halfSpread = spec.halfSpreadBps / 10_000;
    this.hourLogs.push(this.logStart);
  }

  /** Trades with `fromMs <= timestampMs < toMs`, oldest first. */
  tradesBetween(fromMs: number, toMs: number): Trade[] {
    const out: Trade[] = [];
    this.forEachTrade(fromMs, toMs, (t) => out.push(t));
    return out;
  }

  /** Calls `visit` for each trade in [fromMs, toMs) without building an array. */
  forEachTrade(fromMs: number, toMs: number, visit: (trade: Trade) => void): void {
    const start = Math.max(fromMs, SIM_GENESIS_MS);
    if (toMs <= start) return;
    const firstSecond = Math.floor((start - SIM_GENESIS_MS) / 1000);
    const lastSecond = Math.ceil((toMs - SIM_GENESIS_MS) / 1000) - 1;
    for (let s = firstSecond; s <= lastSecond; s++) {
      for (const trade of this.tradesInSecond(s)) {
        if (trade.timestampMs >= fromMs && trade.timestampMs < toMs) visit(trade);
      }
    }
  }

  /** Bid, ask and mid of the walk at `timeMs` (what a paper exchange fills against). */
  quoteAt(timeMs: number): SimQuote {
    const mid = this.round(Math.exp(this.logMidAt(timeMs)), this.spec.tickSize);
    const half = Math.max(this.spec.tickSize, this.round(mid * this.halfSpread, this.spec.tickSize));
    return { bid: this.round(mid - half, this.spec.tickSize), ask: this.round(mid + half, this.spec.tickSize), mid };
  }

  /** The latest trade at or before `timeMs` (looks back up to an hour), or undefined. */
  lastTradeAt(timeMs: number): Trade | undefined {
    const atSecond = Math.floor((timeMs - SIM_GENESIS_MS) / 1000);
    for (let s = atSecond; s >= 0 && s > atSecond - SECONDS_PER_HOUR; s--) {
      const trades = this.tradesInSecond(s);
      for (let i = trades.length - 1; i >= 0; i--) {
        const trade = trades[i]!;
        if (trade.timestampMs <= timeMs) return trade;
      }
    }
    return undefined;
  }

  /**
   * Exchange-style OHLCV: up to `limit` bars from the bucket containing `sinceMs`, the last one
   * possibly still open at `untilMs` (the exchange's "now"). Buckets without trades are flat at the
   * previous trade price with volume 0, as exchanges report them.
   */
  ohlcv(timeframe: Timeframe, sinceMs: number, limit: number, untilMs: number): Bar[] {
    const size = TIMEFRAME_MS[timeframe];
    const bars: Bar[] = [];
    let open = Math.floor(Math.max(sinceMs, SIM_GENESIS_MS) / size) * size;
    while (bars.length < limit && open <= untilMs) {
      const end = Math.min(open + size, untilMs + 1);
      const bar = size >= HOUR_MS ? this.aggregateHours(open, end) : this.aggregateTrades(open, end);
      if (bar) {
        bars.push(bar);
      } else {
        const prev = bars[bars.length - 1]?.close ?? this.lastTradeAt(open - 1)?.price ?? this.quoteAt(open).mid;
        bars.push({ openTimeMs: open, open: prev, high: prev, low: prev, close: prev, volume: 0 });
      }
      open += size;
    }
    return bars;
  }

  private aggregateTrades(fromMs: number, toMs: number): Bar | null {
    let bar: { openTimeMs: number; open: number; high: number; low: number; close: number; volume: number } | null = null;
    this.forEachTrade(fromMs, toMs, (t) => {
      if (bar === null) {
        bar = { openTimeMs: fromMs, open: t.price, high: t.price, low: t.price, close: t.price, volume: t.amount };
        return;
      }
      if (t.price > bar.high) bar.high = t.price;
      if (t.price < bar.low) bar.low = t.price;
      bar.close = t.price;
      bar.volume += t.amount;
    });
    return bar;
  }

  /** Hour-aligned buckets: whole past hours come from memoized hourly aggregates. */
  private aggregateHours(fromMs: number, toMs: number): Bar | null {
    let merged: Bar | null = null;
    for (let hourStart = fromMs; hourStart < toMs; hourStart += HOUR_MS) {
      const whole = hourStart + HOUR_MS <= toMs;
      const part = whole ? this.hourAggregate(hourStart) : this.aggregateTrades(hourStart, toMs);
      if (part) merged = mergeBars(merged, merged === null ? { ...part, openTimeMs: fromMs } : part);
    }
    return merged;
  }

  private hourAggregate(hourStartMs: number): Bar | null {
    let agg = this.hourAggregates.get(hourStartMs);
    if (agg === undefined) {
      agg = this.aggregateTrades(hourStartMs, hourStartMs + HOUR_MS);
      if (this.hourAggregates.size >= 4096) this.hourAggregates.clear();
      this.hourAggregates.set(hourStartMs, agg);
    }
    return agg;
  }

  private tradesInSecond(second: number): Trade[] {
    if (second < 0) return [];
    const lambda = this.spec.tradesPerSecond;
    const count = poisson(lambda, unit(hash(this.seed, STREAM_COUNT, second, 0)), unit(hash(this.seed, STREAM_COUNT, second, 1)));
    if (count === 0) return [];
    const offsets: number[] = [];
    for (let k = 0; k < count; k++) offsets.push(Math.floor(unit(hash(this.seed, STREAM_TRADE, second, 4 * k)) * 1000));
    offsets.sort((a, b) => a - b);
    const hour = Math.floor(second / SECONDS_PER_HOUR);
    const bridge = this.bridge(hour);
    const within = second - hour * SECONDS_PER_HOUR;
    const from = bridge[within]!;
    const to = bridge[within + 1]!;
    const baseMs = SIM_GENESIS_MS + second * 1000;
    const trades: Trade[] = [];
    for (let k = 0; k < count; k++) {
      const offset = offsets[k]!;
      const mid = Math.exp(from + ((to - from) * offset) / 1000);
      const buy = unit(hash(this.seed, STREAM_TRADE, second, 4 * k + 1)) < 0.5;
      const price = this.round(mid * (buy ? 1 + this.halfSpread : 1 - this.halfSpread), this.spec.tickSize);
      const z = normal(unit(hash(this.seed, STREAM_TRADE, second, 4 * k + 2)), unit(hash(this.seed, STREAM_TRADE, second, 4 * k + 3)));
      const size = this.spec.meanTradeSize * Math.exp(SIZE_DISPERSION * z - (SIZE_DISPERSION * SIZE_DISPERSION) / 2);
      const amount = Math.max(this.spec.lotSize, this.round(size, this.spec.lotSize));
      trades.push({ timestampMs: baseMs + offset, price, amount, side: buy ? 'buy' : 'sell', id: `${second}-${k}` });
    }
    return trades;
  }

  private logMidAt(timeMs: number): number {
    if (timeMs <= SIM_GENESIS_MS) return this.logStart;
    const secondsF = (timeMs - SIM_GENESIS_MS) / 1000;
    const second = Math.floor(secondsF);
    const hour = Math.floor(second / SECONDS_PER_HOUR);
    // The bridge starts exactly at the hourly value: no need to build it for an hour boundary.
    if (secondsF === hour * SECONDS_PER_HOUR) return this.hourLog(hour);
    const bridge = this.bridge(hour);
    const within = second - hour * SECONDS_PER_HOUR;
    const from = bridge[within]!;
    const to = bridge[within + 1]!;
    return from + (to - from) * (secondsF - second);
  }

  private hourLog(hour: number): number {
    while (this.hourLogs.length <= hour) {
      const h = this.hourLogs.length - 1;
      const prev = this.hourLogs[h]!;
      const z = normal(unit(hash(this.seed, STREAM_HOUR, h, 0)), unit(hash(this.seed, STREAM_HOUR, h, 1)));
      this.hourLogs.push(prev + REVERSION_PER_HOUR * (this.logStart - prev) + this.hourSigma * z);
    }
    return this.hourLogs[hour]!;
  }

  /** Per-second log prices of `hour` (3,601 points) on a bridge between its hourly endpoints. */
  private bridge(hour: number): Float64Array {
    let points = this.bridges.get(hour);
    if (points) return points;
    const start = this.hourLog(hour);
    const end = this.hourLog(hour + 1);
    points = new Float64Array(SECONDS_PER_HOUR + 1);
    let walk = 0;
    for (let s = 1; s <= SECONDS_PER_HOUR; s++) {
      walk += this.secondSigma * normal(unit(hash(this.seed, STREAM_SECOND, hour, 2 * s)), unit(hash(this.seed, STREAM_SECOND, hour, 2 * s + 1)));
      points[s] = walk;
    }
    const correction = walk - (end - start);
    for (let s = 0; s <= SECONDS_PER_HOUR; s++) points[s] = start + points[s]! - (correction * s) / SECONDS_PER_HOUR;
    if (this.bridges.size >= 8) this.bridges.delete(this.bridges.keys().next().value!);
    this.bridges.set(hour, points);
    return points;
  }

  private round(value: number, step: number): number {
    // Round in step units, then trim binary noise so 0.1 + 0.2 style artifacts do not leak out.
    const decimals = Math.max(0, Math.min(12, Math.ceil(-Math.log10(step))));
    return Number((Math.round(value / step) * step).toFixed(decimals));
  }
}

/** Sim time from the local clock: `anchorSimMs + (nowMs - anchorRealMs) * speed`. */
export interface SimClockSpec {
  readonly anchorRealMs: number;
  readonly anchorSimMs: number;
  /** Sim milliseconds per real millisecond (1 = real time). */
  readonly speed: number;
}

export const simTimeMs = (clock: SimClockSpec, realNowMs: number): number => clock.anchorSimMs + (realNowMs - clock.anchorRealMs) * clock.speed;

/** Sim markets by symbol for one seed (what both the gateway and the paper exchange construct). */
export function createSimMarkets(seed: number = DEFAULT_SIM_SEED, specs: readonly SimMarketSpec[] = SIM_MARKETS): ReadonlyMap<string, SimMarket> {
  return new Map(specs.map((spec) => [spec.symbol, new SimMarket(spec, seed)]));
}

function poisson(lambda: number, u: number, u2: number): number {
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(u, u2)));
  let k = 0;
  let p = Math.exp(-lambda);
  let cumulative = p;
  while (u > cumulative && k < 1000) {
    k++;
    p *= lambda / k;
    cumulative += p;
  }
  return k;
}
