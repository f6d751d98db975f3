/**
 * The backtest engine: an event loop over columnar bars that drives one strategy through the
 * simulated broker and records equity at every close. Rules in docs/backtesting.md.
 *
 * Per bar: (1) the broker fills what this bar can fill (market orders at the open, attached exits,
 * working limit/stop orders); (2) equity is marked at the close; (3) the strategy decides at the close;
 * (4) its intents become orders for the following bars.
 *
 * Speed matters (the optimizer runs thousands of these): the loop reads typed arrays by index, passes
 * one reused mutable `Bar` and context object to the strategy, writes equity into a preallocated
 * Float64Array, and allocates nothing on bars where no order is placed or filled.
 */
import type { Strategy } from '../strategies/strategy.js';
import { STRATEGY_API_VERSION } from '../strategies/strategy.js';
import type { Bar, BarSeries } from '../types.js';
import { computeStatistics } from '../stats/statistics.js';
import { assertBacktestConfig } from './backtest-config.js';
import type { BacktestConfig, BacktestResult } from './backtest-types.js';
import { SimulatedBroker } from './simulated-broker.js';

export function runBacktest<P extends Record<string, unknown>, S>(
  series: BarSeries,
  strategy: Strategy<P, S>,
  params: P,
  config: BacktestConfig,
): BacktestResult {
  assertBacktestConfig(config);
  const apiVersion: number = strategy.apiVersion;
  if (apiVersion !== STRATEGY_API_VERSION) {
    throw new Error(`strategy ${strategy.id} implements interface v${apiVersion}; this engine runs v${STRATEGY_API_VERSION}`);
  }
  const n = series.length;
  const timeMs = series.timeMs;
  const open = series.open;
  const high = series.high;
  const low = series.low;
  const close = series.close;
  const volume = series.volume;
  const equity = new Float64Array(n);
  const broker = new SimulatedBroker(config);
  const ctx = broker.context;
  const bar: Bar = { timeMs: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  let state = strategy.initialState(params);

  for (let i = 0; i < n; i++) {
    const t = timeMs[i]!;
    const o = open[i]!;
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (broker.hasBarWork()) broker.processBar(i, t, o, h, l);
    const eq = broker.markToMarket(c);
    if (eq <= 0) {
      // Account wiped out: close everything at this close and stop trading, equity stays at zero.
      broker.liquidate(i, t, c);
      equity.fill(0, i);
      break;
    }
    equity[i] = eq;
    ctx.equity = eq;
    ctx.cash = broker.lots.length === 0 ? eq : eq - Math.abs(broker.positionQty) * c;
    bar.timeMs = t;
    bar.open = o;
    bar.high = h;
    bar.low = l;
    bar.close = c;
    bar.volume = volume[i]!;
    const result = strategy.step(state, bar, ctx, params);
    state = result.state;
    const intents = result.intents;
    if (intents.length !== 0) broker.submit(intents);
  }

  const trades = broker.trades;
  const stats = computeStatistics({
    equity,
    timeMs,
    close,
    trades,
    initialCash: config.cash,
    // warmup = bars consumed until every indicator has a value, so the first such bar is warmup − 1.
    buyHoldStartIndex: Math.max(0, strategy.warmup(params) - 1),
  });
  const last = n - 1;
  const openTrades = n === 0 ? [] : broker.openTradesAt(last, timeMs[last]!, close[last]!);
  return { trades, equity, stats, openTrades, rejectedOrders: broker.rejectedOrders };
}
