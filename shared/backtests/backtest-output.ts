/**
 * What a finished backtest keeps for the API: statistics, the equity curve with its drawdown
 * (bucketed when longer than `maxPoints`), the first trades, open positions. Pure and allocation-light:
 * it runs in the worker thread right after the engine.
 */
import type { BacktestResult, Statistics, Trade } from '../trading/backtest/backtest-types.js';
import type { BarSeries } from '../trading/types.js';
import { MAX_EQUITY_POINTS, MAX_STORED_TRADES, type EquitySeriesView } from '../schemas/backtest-views.js';

export interface BacktestOutput {
  readonly stats: Statistics;
  readonly equity: EquitySeriesView;
  readonly trades: readonly Trade[];
  readonly tradesTotal: number;
  readonly openTrades: readonly Trade[];
  readonly rejectedOrders: number;
}

/** 10 significant digits: below a cent on any realistic equity, and a third of the JSON size. */
const round10 = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(10)) : v);
const round6 = (v: number): number => Number(v.toPrecision(6));

/**
 * One point per bucket of `bucketBars` consecutive bars: the bucket's last time, close and equity,
 * and its deepest drawdown (so a trough inside a bucket still shows). `bucketBars` is 1 up to
 * `maxPoints` bars.
 */
export function equitySeries(timeMs: ArrayLike<number>, close: ArrayLike<number>, equity: ArrayLike<number>, maxPoints = MAX_EQUITY_POINTS): EquitySeriesView {
  const n = equity.length;
  const bucketBars = Math.max(1, Math.ceil(n / maxPoints));
  const points = Math.ceil(n / bucketBars);
  const out = { timeMs: new Array<number>(points), close: new Array<number>(points), equity: new Array<number>(points), drawdownPct: new Array<number>(points) };
  let peak = -Infinity;
  let p = 0;
  let deepest = 0;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    const dd = peak > 0 ? (e / peak - 1) * 100 : 0;
    if (dd < deepest) deepest = dd;
    if ((i + 1) % bucketBars === 0 || i === n - 1) {
      out.timeMs[p] = timeMs[i]!;
      out.close[p] = close[i]!;
      out.equity[p] = round10(e);
      out.drawdownPct[p] = round6(deepest);
      p++;
      deepest = 0;
    }
  }
  return { ...out, bars: n, bucketBars };
}

/** Re-buckets a stored series to at most `maxPoints` (for `?maxPoints=`), keeping the deepest drawdown. */
export function downsampleSeries(series: EquitySeriesView, maxPoints: number): EquitySeriesView {
  const n = series.timeMs.length;
  if (n <= maxPoints) return series;
  const factor = Math.ceil(n / maxPoints);
  const points = Math.ceil(n / factor);
  const out = { timeMs: new Array<number>(points), close: new Array<number>(points), equity: new Array<number>(points), drawdownPct: new Array<number>(points) };
  for (let p = 0; p < points; p++) {
    const last = Math.min(n, (p + 1) * factor) - 1;
    let deepest = 0;
    for (let i = p * factor; i <= last; i++) if (series.drawdownPct[i]! < deepest) deepest = series.drawdownPct[i]!;
    out.timeMs[p] = series.timeMs[last]!;
    out.close[p] = series.close[last]!;
    out.equity[p] = series.equity[last]!;
    out.drawdownPct[p] = deepest;
  }
  return { ...out, bars: series.bars, bucketBars: series.bucketBars * factor };
}

export function backtestOutput(series: BarSeries, result: BacktestResult, maxPoints = MAX_EQUITY_POINTS, maxTrades = MAX_STORED_TRADES): BacktestOutput {
  return {
    stats: result.stats,
    equity: equitySeries(series.timeMs, series.close, result.equity, maxPoints),
    trades: result.trades.length > maxTrades ? result.trades.slice(0, maxTrades) : result.trades,
    tradesTotal: result.trades.length,
    openTrades: result.openTrades ?? [],
    rejectedOrders: result.rejectedOrders ?? 0,
  };
}
