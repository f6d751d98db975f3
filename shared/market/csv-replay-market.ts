/**
 * A sim market that replays OHLCV rows (a CSV of bars) as trades, for the built-in `sim` exchange
 * next to the random walk. Pure: it takes parsed rows (or the CSV text), never a file, and time is
 * always an argument, so the gateway and a paper exchange that build the same replay see the same
 * trades.
 *
 * Time: row `r` owns the slot [startMs + r·barMs, startMs + (r+1)·barMs) of sim time, whatever the
 * CSV's own timestamps say (they only fix the order), so daily or monthly rows replay as minutes and
 * SIM_SPEED runs them faster still. After the last row the replay either starts again from the
 * first row (`loop`, the same bars each pass with fresh intra-bar paths) or goes quiet (`stop`: no
 * more trades, quotes and flat bars at the last close).
 *
 * Inside a slot, `n` trades (deterministic from seed, symbol and slot) walk open → low → high →
 * close for a rising bar, open → high → low → close for a falling one (a coin flip when open equals
 * close). The first trade is the open at the slot start, the last the close; the high and the low
 * are hit exactly once each at least, and every other price lies between them, so the trades of a
 * slot aggregate to the row's O/H/L/C exactly. The row volume is split into whole lots
 * (`round(volume / lotSize)` of them, at least one per trade while there are enough), so the amounts
 * add up to the row volume within half a lot (exactly when the volume is on the lot grid); a row with
 * fewer lots than the 4 trades its path needs gives the last trades amount 0.
 */
import { appError, err, ok, type Result } from '../core/result.js';
import { parseOhlcvCsv } from '../trading/csv/ohlcv-csv-parser.js';
import type { BarSeries } from '../trading/types.js';
import { mergeBars, type Bar, type Trade } from './market-types.js';
import { fnv1a, hash, mix, normal, unit } from './seeded-hash.js';
import type { SimMarketInfo, SimPriceSource, SimQuote } from './sim-market.js';
import { TIMEFRAME_MS, type Timeframe } from './timeframes.js';

export type ReplayEnd = 'loop' | 'stop';

export interface CsvReplayOptions {
  readonly symbol: string;
  /** Sim time of the first row's slot (epoch ms). Align it to `barMs` so OHLCV buckets match rows. */
  readonly startMs: number;
  /** Sim time one row lasts, e.g. 60 000: every row is a 1m bar. */
  readonly barMs: number;
  readonly end: ReplayEnd;
  /** Trades per row (at least 4: open, high, low, close). */
  readonly tradesPerBar?: number;
  /** Price grid of the intermediate trades; default: the finest step of the rows' prices (≤ 1e-8). */
  readonly tickSize?: number;
  /** Amount grid; default: the finest step of the rows' volumes (≤ 1e-8). */
  readonly lotSize?: number;
  /** Half the quoted spread in basis points of the last price (at least one tick). */
  readonly halfSpreadBps?: number;
}

export const DEFAULT_REPLAY_TRADES_PER_BAR = 30;
export const REPLAY_INVALID = 'SIM.REPLAY_INVALID';

const MIN_TRADES_PER_BAR = 4;
const MAX_GRID_DECIMALS = 8;
/** Lot counts stay exact integers below this. */
const MAX_SAFE_LOTS = 2 ** 52;
/** Typical wander of the intermediate prices off the straight path, as a share of the bar's range. */
const PATH_NOISE = 0.2;
const SLOT_CACHE_SIZE = 64;

const STREAM_SHAPE = 11;
const STREAM_TIME = 12;
const STREAM_PRICE = 13;
const STREAM_SIZE = 14;


export class CsvReplayMarket implements SimPriceSource {
  readonly spec: SimMarketInfo;
  readonly startMs: number;
  readonly barMs: number;
  readonly end: ReplayEnd;
  readonly rowCount: number;
  private readonly rows: BarSeries;
  private readonly seed: number;
  private readonly tradesPerBar: number;
  private readonly tickDecimals: number;
  private readonly lotDecimals: number;
  private readonly halfSpread: number;
  private readonly slotTrades = new Map<number, Trade[]>();

  constructor(rows: BarSeries, options: CsvReplayOptions, seed: number) {
    if (rows.length === 0) throw new RangeError('a replay needs at least one row');
    if (!(options.barMs > 0) || !Number.isInteger(options.barMs)) throw new RangeError(`barMs must be a positive whole number, got ${options.barMs}`);
    this.rows = rows;
    this.rowCount = rows.length;
    this.startMs = options.startMs;
    this.barMs = options.barMs;
    this.end = options.end;
    this.tradesPerBar = Math.max(MIN_TRADES_PER_BAR, Math.floor(options.tradesPerBar ?? DEFAULT_REPLAY_TRADES_PER_BAR));
    const tickSize = options.tickSize ?? stepOf(finestDecimals([rows.open, rows.high, rows.low, rows.close], maxOf(rows.high)));
    const lotSize = options.lotSize ?? stepOf(finestDecimals([rows.volume], maxOf(rows.volume)));
    this.spec = { symbol: options.symbol, tickSize, lotSize };
    this.tickDecimals = decimalsOfStep(tickSize);
    this.lotDecimals = decimalsOfStep(lotSize);
    this.halfSpread = (options.halfSpreadBps ?? 1) / 10_000;
    this.seed = mix((seed >>> 0) ^ fnv1a(options.symbol));
  }

  /** The row a slot replays, or undefined past the end of a `stop` replay (and before the start). */
  rowOfSlot(slot: number): number | undefined {
    if (slot < 0) return undefined;
    if (slot < this.rowCount) return slot;
    return this.end === 'loop' ? slot % this.rowCount : undefined;
  }

  /** The CSV row a slot replays, as a bar at the slot's open time. */
  rowBar(slot: number): Bar | undefined {
    const row = this.rowOfSlot(slot);
    if (row === undefined) return undefined;
    const r = this.rows;
    return { openTimeMs: this.slotStartMs(slot), open: r.open[row]!, high: r.high[row]!, low: r.low[row]!, close: r.close[row]!, volume: r.volume[row]! };
  }

  tradesBetween(fromMs: number, toMs: number): Trade[] {
    const out: Trade[] = [];
    this.forEachTrade(fromMs, toMs, (t) => out.push(t));
    return out;
  }

  forEachTrade(fromMs: number, toMs: number, visit: (trade: Trade) => void): void {
    const [first, last] = this.slotRange(fromMs, toMs);
    for (let slot = first; slot <= last; slot++) {
      for (const trade of this.tradesOfSlot(slot)) {
        if (trade.timestampMs >= fromMs && trade.timestampMs < toMs) visit(trade);
      }
    }
  }

  lastTradeAt(timeMs: number): Trade | undefined {
    if (timeMs < this.startMs) return undefined;
    let slot = Math.floor((timeMs - this.startMs) / this.barMs);
    if (this.rowOfSlot(slot) === undefined) slot = this.rowCount - 1;
    // Every slot has a trade at its very start, so the slot containing the time always has one.
    const trades = this.tradesOfSlot(slot);
    for (let i = trades.length - 1; i >= 0; i--) {
      const trade = trades[i]!;
      if (trade.timestampMs <= timeMs) return trade;
    }
    return undefined;
  }

  /** Around the last trade (before the start: the first row's open), at least a tick either side. */
  quoteAt(timeMs: number): SimQuote {
    const mid = this.lastTradeAt(timeMs)?.price ?? this.rows.open[0]!;
    const half = Math.max(this.spec.tickSize, roundTo(mid * this.halfSpread, this.spec.tickSize, this.tickDecimals));
    return { bid: roundTo(mid - half, this.spec.tickSize, this.tickDecimals), ask: roundTo(mid + half, this.spec.tickSize, this.tickDecimals), mid };
  }

  ohlcv(timeframe: Timeframe, sinceMs: number, limit: number, untilMs: number): Bar[] {
    const size = TIMEFRAME_MS[timeframe];
    const bars: Bar[] = [];
    let open = Math.floor(Math.max(sinceMs, this.startMs) / size) * size;
    while (bars.length < limit && open <= untilMs) {
      const bar = this.aggregate(open, Math.min(open + size, untilMs + 1));
      if (bar) {
        bars.push(bar);
      } else {
        const prev = bars[bars.length - 1]?.close ?? this.lastTradeAt(open - 1)?.price ?? this.rows.open[0]!;
        bars.push({ openTimeMs: open, open: prev, high: prev, low: prev, close: prev, volume: 0 });
      }
      open += size;
    }
    return bars;
  }

  /** Whole slots inside the range count as their CSV row; a slot cut by the range counts its trades. */
  private aggregate(fromMs: number, toMs: number): Bar | null {
    let bar: Bar | null = null;
    const merge = (part: Bar): void => {
      bar = mergeBars(bar, bar === null ? { ...part, openTimeMs: fromMs } : part);
    };
    const [first, last] = this.slotRange(fromMs, toMs);
    for (let slot = first; slot <= last; slot++) {
      const slotStart = this.slotStartMs(slot);
      const whole = fromMs <= slotStart && slotStart + this.barMs <= toMs;
      if (whole) {
        const row = this.rowBar(slot);
        if (row) merge(row);
        continue;
      }
      this.forEachTrade(Math.max(fromMs, slotStart), Math.min(toMs, slotStart + this.barMs), (t) =>
        merge({ openTimeMs: t.timestampMs, open: t.price, high: t.price, low: t.price, close: t.price, volume: t.amount }),
      );
    }
    return bar;
  }

  /** Slots that may hold trades in [fromMs, toMs), clipped to those that replay a row. */
  private slotRange(fromMs: number, toMs: number): [number, number] {
    const from = Math.max(fromMs, this.startMs);
    if (toMs <= from) return [0, -1];
    const first = Math.floor((from - this.startMs) / this.barMs);
    let last = Math.ceil((toMs - this.startMs) / this.barMs) - 1;
    if (this.end === 'stop') last = Math.min(last, this.rowCount - 1);
    return [first, last];
  }

  private slotStartMs(slot: number): number {
    return this.startMs + slot * this.barMs;
  }

  private tradesOfSlot(slot: number): Trade[] {
    let trades = this.slotTrades.get(slot);
    if (trades) return trades;
    trades = this.buildSlot(slot);
    if (this.slotTrades.size >= SLOT_CACHE_SIZE) this.slotTrades.delete(this.slotTrades.keys().next().value!);
    this.slotTrades.set(slot, trades);
    return trades;
  }

  private buildSlot(slot: number): Trade[] {
    const row = this.rowBar(slot);
    if (!row) return [];
    const draw = (stream: number, sub: number): number => unit(hash(this.seed, stream, slot, sub));
    const lots = Math.round(row.volume / this.spec.lotSize);
    const n = Math.min(this.tradesPerBar, Math.max(MIN_TRADES_PER_BAR, lots));

    // Waypoints at trade indices 0 < i1 < i2 < n-1: open, first extreme, second extreme, close.
    const i1 = 1 + Math.floor(draw(STREAM_SHAPE, 0) * (n - 3));
    const i2 = i1 + 1 + Math.floor(draw(STREAM_SHAPE, 1) * (n - 2 - i1));
    const lowFirst = row.close > row.open || (row.close === row.open && draw(STREAM_SHAPE, 2) < 0.5);
    const waypoints: readonly (readonly [number, number])[] = [
      [0, row.open],
      [i1, lowFirst ? row.low : row.high],
      [i2, lowFirst ? row.high : row.low],
      [n - 1, row.close],
    ];

    const prices = new Array<number>(n);
    const range = row.high - row.low;
    for (let w = 0; w + 1 < waypoints.length; w++) {
      const [ia, pa] = waypoints[w]!;
      const [ib, pb] = waypoints[w + 1]!;
      prices[ia] = pa;
      // A Brownian bridge around the straight line from one waypoint to the next, pinned at both.
      const steps = ib - ia;
      const sigma = (range * PATH_NOISE) / Math.sqrt(steps);
      const walk = [0];
      for (let k = ia + 1; k <= ib; k++) walk.push(walk[walk.length - 1]! + sigma * normal(draw(STREAM_PRICE, 2 * k), draw(STREAM_PRICE, 2 * k + 1)));
      const drift = walk[steps]!;
      for (let j = 1; j < steps; j++) {
        const along = pa + ((pb - pa) * j) / steps + walk[j]! - (drift * j) / steps;
        // Rounding first, then clamping: the row's own high and low need not be on the tick grid.
        prices[ia + j] = Math.min(row.high, Math.max(row.low, roundTo(along, this.spec.tickSize, this.tickDecimals)));
      }
    }
    prices[n - 1] = row.close;

    const amounts = splitLots(lots, n, (k) => -Math.log(draw(STREAM_SIZE, k)));
    const slotStart = this.slotStartMs(slot);
    const trades: Trade[] = [];
    let side: 'buy' | 'sell' = draw(STREAM_SHAPE, 3) < 0.5 ? 'buy' : 'sell';
    for (let k = 0; k < n; k++) {
      const price = prices[k]!;
      const previous = k > 0 ? prices[k - 1]! : price;
      if (price > previous) side = 'buy';
      else if (price < previous) side = 'sell';
      // Stratified offsets: in time order, spread over the slot, the open exactly at its start.
      const offset = k === 0 ? 0 : Math.min(this.barMs - 1, Math.floor(((k + draw(STREAM_TIME, k)) * this.barMs) / n));
      trades.push({
        timestampMs: slotStart + offset,
        price,
        amount: roundTo(amounts[k]! * this.spec.lotSize, this.spec.lotSize, this.lotDecimals),
        side,
        id: `${slot}-${k}`,
      });
    }
    return trades;
  }
}

/**
 * Parses a CSV of OHLCV rows (the format of ../shared/data: `,Open,High,Low,Close,Volume`) into a
 * replay. Errors carry `<fileName>:<line>: <reason>`.
 */
export function createCsvReplayMarket(csvText: string, fileName: string, options: CsvReplayOptions, seed: number): Result<CsvReplayMarket> {
  const rows = parseOhlcvCsv(csvText, fileName);
  if (!rows.ok) return err(appError(REPLAY_INVALID, rows.error.message, rows.error.details));
  return ok(new CsvReplayMarket(rows.value, options, seed));
}

/** `lots` whole lots over `n` trades: at least one each while there are enough, the rest by weight. */
function splitLots(lots: number, n: number, weight: (k: number) => number): number[] {
  const amounts = new Array<number>(n).fill(0);
  if (lots < n) {
    for (let k = 0; k < lots; k++) amounts[k] = 1;
    return amounts;
  }
  const weights = Array.from({ length: n }, (_, k) => weight(k));
  const total = weights.reduce((s, w) => s + w, 0);
  const spare = lots - n;
  let given = 0;
  for (let k = 0; k < n; k++) {
    const share = Math.floor((spare * weights[k]!) / total);
    amounts[k] = 1 + share;
    given += share;
  }
  // Flooring leaves fewer than n lots over: one more each to the first trades.
  for (let k = 0; given < spare; k++, given++) amounts[k % n]! += 1;
  return amounts;
}

/** Decimal places of the finest value in the columns (≤ 8), fewer if `maxValue` in steps would not be an exact integer. */
function finestDecimals(columns: readonly Float64Array[], maxValue: number): number {
  let decimals = 0;
  for (const column of columns) {
    for (const value of column) decimals = Math.max(decimals, decimalsOf(value));
  }
  decimals = Math.min(decimals, MAX_GRID_DECIMALS);
  while (decimals > 0 && maxValue * 10 ** decimals > MAX_SAFE_LOTS) decimals--;
  return decimals;
}

/** Digits after the point in the shortest decimal form of `value` (1.5e-7 → 8). */
function decimalsOf(value: number): number {
  const text = String(Math.abs(value));
  const [mantissa = '', exponent] = text.split('e');
  const point = mantissa.indexOf('.');
  const fraction = point < 0 ? 0 : mantissa.length - point - 1;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/** 10^-decimals as its decimal literal (10 ** -5 is 0.000009999999999999999). */
const stepOf = (decimals: number): number => Number(`1e-${decimals}`);

function decimalsOfStep(step: number): number {
  return Math.max(0, Math.min(12, Math.ceil(-Math.log10(step) - 1e-9)));
}

function roundTo(value: number, step: number, decimals: number): number {
  return Number((Math.round(value / step) * step).toFixed(decimals));
}

function maxOf(values: Float64Array): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}
