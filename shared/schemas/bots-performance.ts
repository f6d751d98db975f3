/**
 * A bot's live performance: the backtester's `Statistics`, computed by the same function
 * (`computeStatistics`) on the bot's per-bar equity snapshots and the trades its fills make.
 *
 * Trades are rebuilt from fills the way the simulated broker books them: every entry fill opens a lot;
 * exit fills close lots oldest first (FIFO), one trade per lot closed. An exit fill that closes several
 * lots carries their summed fee, which is shared out by units — exact for percentage fees; with a
 * fixed fee per order the split differs from the broker's per-lot fee, the totals do not.
 */
import type { PaperFill } from '../bots/execution-messages.js';
import type { Statistics, Trade } from '../trading/backtest/backtest-types.js';
import { computeStatistics } from '../trading/stats/statistics.js';

export interface EquitySnapshot {
  readonly barTimeMs: number;
  readonly equity: number;
  readonly close: number;
}

export interface BotPerformanceView {
  readonly statistics: Statistics;
  /** Closed trades, in the order they closed. */
  readonly trades: readonly Trade[];
  readonly bars: number;
  readonly fills: number;
  readonly fromMs: number | null;
  readonly toMs: number | null;
  readonly initialCash: number;
}

interface OpenLot {
  /** Signed units. */
  quantity: number;
  readonly price: number;
  fee: number;
  readonly bar: number;
  readonly timeMs: number;
}

const EPSILON = 1e-9;

/** Index of the last bar at or before `timeMs` (0 when the fill precedes every bar). */
function barIndexAt(barTimes: readonly number[], timeMs: number): number {
  let lo = 0;
  let hi = barTimes.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (barTimes[mid]! <= timeMs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Fills in the order they happened (the caller sorts by time, then by the event sequence that recorded them). */
export function tradesFromFills(fills: readonly PaperFill[], barTimes: readonly number[]): Trade[] {
  const lots: OpenLot[] = [];
  const trades: Trade[] = [];
  for (const fill of fills) {
    const bar = barIndexAt(barTimes, fill.timeMs);
    const direction = fill.side === 'buy' ? 1 : -1;
    if (fill.reason === 'entry') {
      lots.push({ quantity: direction * fill.quantity, price: fill.price, fee: fill.fee, bar, timeMs: fill.timeMs });
      continue;
    }
    let remaining = fill.quantity;
    while (remaining > EPSILON * Math.max(1, fill.quantity) && lots.length > 0) {
      const lot = lots[0]!;
      const units = Math.abs(lot.quantity);
      const whole = remaining >= units - EPSILON * Math.max(1, units);
      const closing = whole ? units : remaining;
      const side = lot.quantity > 0 ? 1 : -1;
      const entryFee = whole ? lot.fee : lot.fee * (closing / units);
      const exitFee = fill.quantity > 0 ? fill.fee * (closing / fill.quantity) : 0;
      const fees = entryFee + exitFee;
      trades.push({
        side: side > 0 ? 'long' : 'short',
        quantity: closing,
        entryBar: lot.bar,
        entryTimeMs: lot.timeMs,
        entryPrice: lot.price,
        exitBar: bar,
        exitTimeMs: fill.timeMs,
        exitPrice: fill.price,
        entryFee,
        exitFee,
        pnl: side * closing * (fill.price - lot.price) - fees,
        returnFraction: side * (fill.price / lot.price - 1) - fees / (closing * lot.price),
        exitReason: fill.reason,
      });
      if (whole) lots.shift();
      else {
        lot.quantity -= side * closing;
        lot.fee -= entryFee;
      }
      remaining -= closing;
    }
  }
  return trades;
}

/**
 * `equity` ascending by bar time; `fills` in the order they happened. `warmupBars` is the strategy's
 * warmup: buy & hold starts where the backtester starts it.
 */
export function botPerformance(equity: readonly EquitySnapshot[], fills: readonly PaperFill[], initialCash: number, warmupBars: number): BotPerformanceView {
  const barTimes = equity.map((p) => p.barTimeMs);
  const trades = tradesFromFills(fills, barTimes);
  const statistics = computeStatistics({
    equity: equity.map((p) => p.equity),
    timeMs: barTimes,
    close: equity.map((p) => p.close),
    trades,
    initialCash,
    buyHoldStartIndex: Math.max(0, warmupBars - 1),
  });
  return {
    statistics,
    trades,
    bars: equity.length,
    fills: fills.length,
    fromMs: barTimes[0] ?? null,
    toMs: barTimes[barTimes.length - 1] ?? null,
    initialCash,
  };
}
