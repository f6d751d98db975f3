/**
 * Out-of-sample evaluation of walk-forward picks.
 *
 * Each window's best training params are backtested on its test window (with the warmup bars before
 * it, see `testRangeWithWarmup`). Windows are chained: a window starts with the equity the previous
 * one ended with, as if one account traded the picks in turn. A position still open when a window
 * ends is valued at that window's last close and carried into the next window's cash (not traded).
 * Statistics are computed per window over the test bars only, and once over the stitched equity of
 * all test windows (`combined`).
 */
import { runBacktest } from '../backtest/backtest-engine.js';
import type { BacktestConfig, Statistics, Trade } from '../backtest/backtest-types.js';
import { computeStatistics } from '../stats/statistics.js';
import type { Strategy } from '../strategies/strategy.js';
import type { BarSeries } from '../types.js';
import { sliceSeries } from './slice-series.js';
import { testRangeWithWarmup, type WalkForwardWindow } from './walk-forward.js';

export interface WindowPick<P> {
  readonly window: WalkForwardWindow;
  readonly params: P;
  /** The pick's metric on its training window; null when undefined there. */
  readonly trainMetric: number | null;
}

export interface OutOfSampleWindow<P> extends WindowPick<P> {
  readonly cashStart: number;
  readonly stats: Statistics;
}

export interface OutOfSampleResult<P> {
  readonly windows: readonly OutOfSampleWindow<P>[];
  readonly combined: Statistics;
  /** The stitched test-window equity, one value per bar from the first test bar to the last. */
  readonly equity: Float64Array;
}

function shiftTrade(trade: Trade, barShift: number): Trade {
  return { ...trade, entryBar: trade.entryBar + barShift, exitBar: trade.exitBar + barShift };
}

export function runOutOfSample<P extends Record<string, unknown>, S>(
  series: BarSeries,
  strategy: Strategy<P, S>,
  config: BacktestConfig,
  picks: readonly WindowPick<P>[],
): OutOfSampleResult<P> {
  if (picks.length === 0) throw new RangeError('runOutOfSample needs at least one window');
  const firstBar = picks[0]!.window.testStart;
  const lastBar = picks[picks.length - 1]!.window.testEnd;
  const stitched = new Float64Array(lastBar - firstBar);
  const stitchedTrades: Trade[] = [];
  const windows: OutOfSampleWindow<P>[] = [];
  let cash = config.cash;

  for (const pick of picks) {
    const { window } = pick;
    const test = sliceSeries(series, { start: window.testStart, end: window.testEnd });
    const position = window.testStart - firstBar;
    let windowEquity: Float64Array;
    let windowTrades: readonly Trade[];
    if (cash > 0) {
      const range = testRangeWithWarmup(window, strategy.warmup(pick.params));
      const run = runBacktest(sliceSeries(series, range), strategy, pick.params, { ...config, cash });
      const warmupBars = window.testStart - range.start;
      windowEquity = run.equity.subarray(warmupBars);
      windowTrades = run.trades.map((trade) => shiftTrade(trade, -warmupBars));
    } else {
      // The account is wiped out; later windows cannot trade.
      windowEquity = new Float64Array(test.length);
      windowTrades = [];
    }
    const stats = computeStatistics({
      equity: windowEquity,
      timeMs: test.timeMs,
      close: test.close,
      trades: windowTrades,
      initialCash: cash,
      buyHoldStartIndex: 0,
    });
    windows.push({ ...pick, cashStart: cash, stats });
    stitched.set(windowEquity, position);
    for (const trade of windowTrades) stitchedTrades.push(shiftTrade(trade, position));
    cash = windowEquity.length > 0 ? windowEquity[windowEquity.length - 1]! : cash;
  }

  const all = sliceSeries(series, { start: firstBar, end: lastBar });
  const combined = computeStatistics({
    equity: stitched,
    timeMs: all.timeMs,
    close: all.close,
    trades: stitchedTrades,
    initialCash: config.cash,
    buyHoldStartIndex: 0,
  });
  return { windows, combined, equity: stitched };
}
