import { runBacktest } from '../../../../shared/trading/backtest/backtest-engine.js';
import { parseBacktestConfig } from '../../../../shared/trading/backtest/backtest-config.js';
import { getStrategy, parseStrategyParams } from '../../../../shared/trading/strategies/registry.js';
import type { BacktestResult, Trade } from '../../../../shared/trading/backtest/backtest-types.js';
import { loadReferenceSeries } from '../trading/backtest/reference-data.js';
import { botConfig, ExecutionSim, paperConnection, seriesBars, sliceSeries } from './execution-sim.js';

const GOOG = loadReferenceSeries('GOOG');
const MARKET = 'paper:GOOG:1d';

function backtest(strategyId: string, rawParams: Record<string, unknown>, from: number, to: number, settings: { rate?: number; slippageBps?: number; shortAllowed?: boolean } = {}): BacktestResult {
  const strategy = getStrategy(strategyId);
  if (!strategy.ok) throw new Error(strategy.error.message);
  const params = parseStrategyParams(strategy.value, rawParams);
  if (!params.ok) throw new Error(params.error.message);
  const config = parseBacktestConfig({ cash: 10_000, commission: { rate: settings.rate ?? 0 }, slippageBps: settings.slippageBps ?? 0, shortAllowed: settings.shortAllowed ?? false });
  if (!config.ok) throw new Error(config.error.message);
  return runBacktest(sliceSeries(GOOG, from, to), strategy.value, params.value, config.value);
}

/** The fills a backtest's trades imply: each trade is an entry fill and an exit fill. */
function fillsOf(trades: readonly Trade[], open: readonly Trade[]): { timeMs: number; side: string; quantity: number; price: number }[] {
  const fills: { timeMs: number; side: string; quantity: number; price: number }[] = [];
  const entries = new Set<string>();
  for (const t of [...trades, ...open]) {
    const entryKey = `${t.entryTimeMs}:${t.side}`;
    if (!entries.has(entryKey)) {
      entries.add(entryKey);
      fills.push({ timeMs: t.entryTimeMs, side: t.side === 'long' ? 'buy' : 'sell', quantity: t.quantity, price: t.entryPrice });
    }
    if (t.exitReason !== 'open') fills.push({ timeMs: t.exitTimeMs, side: t.side === 'long' ? 'sell' : 'buy', quantity: t.quantity, price: t.exitPrice });
  }
  return fills.sort((a, b) => a.timeMs - b.timeMs || (a.side === b.side ? 0 : a.side === 'sell' ? -1 : 1));
}

function runPaper(strategyId: string, params: Record<string, unknown>, from: number, to: number, opts: { execution?: Record<string, number>; shortAllowed?: boolean; batch?: number } = {}) {
  const sim = new ExecutionSim();
  sim.command('bot1', 'create', { config: botConfig({ strategy: { id: strategyId, params }, marketRules: { shortAllowed: opts.shortAllowed ?? false } }) });
  sim.command('bot1', 'start', { connection: paperConnection(10_000, opts.execution) });
  const bars = seriesBars(GOOG, from, to);
  const batch = opts.batch ?? bars.length;
  for (let i = 0; i < bars.length; i += batch) sim.postBars(MARKET, bars.slice(i, i + batch));
  return sim;
}

describe('paper bot against the backtester', () => {
  it('fills an sma-cross bot exactly like runBacktest on 400 GOOG bars, bar by bar equity included', () => {
    const sim = runPaper('sma-cross', { fast: 10, slow: 30 }, 0, 400);
    const result = backtest('sma-cross', { fast: 10, slow: 30 }, 0, 400);
    const fills = sim.eventsOf('bot1', 'fill').map((e) => e.data as { timeMs: number; side: string; quantity: number; price: number });
    expect(result.trades.length).toBeGreaterThan(3);
    expect(fills.map((f) => ({ timeMs: f.timeMs, side: f.side, quantity: f.quantity, price: f.price }))).toEqual(fillsOf(result.trades, result.openTrades ?? []));
    const equity = [...sim.equity.values()].sort((a, b) => a.barTimeMs - b.barTimeMs).map((q) => q.equity);
    expect(equity).toEqual(Array.from(result.equity));
  });

  it('matches with fees, slippage and shorts, whatever the batch size of the posted bars', () => {
    const settings = { rate: 0.001, slippageBps: 5, shortAllowed: true };
    const result = backtest('sma-cross', { fast: 5, slow: 20, allowShort: true }, 100, 500, settings);
    for (const batch of [1, 7, 400]) {
      const sim = runPaper('sma-cross', { fast: 5, slow: 20, allowShort: true }, 100, 500, { execution: { feeRate: 0.001, slippageBps: 5 }, shortAllowed: true, batch });
      const equity = [...sim.equity.values()].sort((a, b) => a.barTimeMs - b.barTimeMs).map((q) => q.equity);
      expect(equity).toEqual(Array.from(result.equity));
      expect(sim.eventsOf('bot1', 'fill').length).toBe(fillsOf(result.trades, result.openTrades ?? []).length);
    }
  });

  it.each(['ema-cross', 'rsi-reversion', 'bollinger-reversion', 'macd-trend', 'donchian-breakout', 'grid', 'dca'])('%s: paper equity equals the backtest equity curve', (id) => {
    const result = backtest(id, {}, 0, 600);
    const sim = runPaper(id, {}, 0, 600);
    const equity = [...sim.equity.values()].sort((a, b) => a.barTimeMs - b.barTimeMs).map((q) => q.equity);
    expect(equity).toEqual(Array.from(result.equity));
  });
});
