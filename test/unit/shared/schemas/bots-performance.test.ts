import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PaperFill } from '../../../../shared/bots/execution-messages.js';
import { botPerformance, tradesFromFills } from '../../../../shared/schemas/bots-performance.js';
import { DEFAULT_BACKTEST_CONFIG } from '../../../../shared/trading/backtest/backtest-config.js';
import { runBacktest } from '../../../../shared/trading/backtest/backtest-engine.js';
import type { BacktestConfig, Statistics, Trade } from '../../../../shared/trading/backtest/backtest-types.js';
import { SimulatedBroker } from '../../../../shared/trading/backtest/simulated-broker.js';
import { parseOhlcvCsv } from '../../../../shared/trading/csv/ohlcv-csv-parser.js';
import { STRATEGIES } from '../../../../shared/trading/strategies/registry.js';
import type { AnyStrategy } from '../../../../shared/trading/strategies/strategy.js';
import type { Bar, BarSeries } from '../../../../shared/trading/types.js';

const DATA_DIR = path.resolve(__dirname, '../../../../../shared/data');

function goog(): BarSeries {
  const parsed = parseOhlcvCsv(readFileSync(path.join(DATA_DIR, 'GOOG.csv'), 'utf8'), 'GOOG.csv');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

/**
 * The backtest engine's loop as the paper exchange runs it: orders carry client order ids and a
 * listener records fills, which is what a bot stores; plus its per-bar equity.
 */
function runWithFills(series: BarSeries, strategy: AnyStrategy, params: Record<string, unknown>, config: BacktestConfig) {
  const broker = new SimulatedBroker(config);
  const fills: PaperFill[] = [];
  broker.listener = {
    onFill: (f) => fills.push({ ...f, fillId: `b-f${fills.length + 1}`, botId: 'b', clientOrderId: f.clientOrderId ?? null }),
    onOrderDone: () => undefined,
  };
  const ctx = broker.context;
  const equity: number[] = [];
  let state = strategy.initialState(params);
  let seq = 0;
  for (let i = 0; i < series.length; i++) {
    const bar: Bar = { timeMs: series.timeMs[i]!, open: series.open[i]!, high: series.high[i]!, low: series.low[i]!, close: series.close[i]!, volume: series.volume[i]! };
    if (broker.hasBarWork()) broker.processBar(i, bar.timeMs, bar.open, bar.high, bar.low);
    const eq = broker.markToMarket(bar.close);
    if (eq <= 0) {
      broker.liquidate(i, bar.timeMs, bar.close);
      for (let k = i; k < series.length; k++) equity.push(0);
      break;
    }
    equity.push(eq);
    ctx.equity = eq;
    ctx.cash = broker.lots.length === 0 ? eq : eq - Math.abs(broker.positionQty) * bar.close;
    const result = strategy.step(state, bar, ctx, params);
    state = result.state;
    for (const intent of result.intents) broker.submitOne(intent, `b-${++seq}`);
  }
  return { fills, equity, trades: broker.trades };
}

const withoutReason = (t: Trade) => ({ ...t, exitReason: '' });

function expectSameStatistics(actual: Statistics, expected: Statistics): void {
  for (const key of Object.keys(expected) as (keyof Statistics)[]) {
    const e = expected[key];
    const a = actual[key];
    if (e === null || a === null) expect([key, a]).toEqual([key, e]);
    else expect([key, a]).toEqual([key, expect.closeTo(e, 6)]);
  }
}

describe('botPerformance', () => {
  const series = goog();
  const config: BacktestConfig = { ...DEFAULT_BACKTEST_CONFIG, commission: { rate: 0.001, fixed: 0 }, shortAllowed: true };

  it.each(STRATEGIES.map((s) => [s.id, s] as const))("equals the backtester's statistics for %s on GOOG, from fills and equity snapshots only", (_id, strategy) => {
    const params = strategy.paramsSchema.parse({}) as Record<string, unknown>;
    const reference = runBacktest(series, strategy, params, config);
    const run = runWithFills(series, strategy, params, config);
    // The loop above is the engine's: same equity, same trades.
    expect(run.equity).toEqual(Array.from(reference.equity));
    expect(run.trades.length).toBe(reference.trades.length);

    const snapshots = run.equity.map((equity, i) => ({ barTimeMs: series.timeMs[i]!, equity, close: series.close[i]! }));
    const perf = botPerformance(snapshots, run.fills, config.cash, strategy.warmup(params));
    expect(perf.trades.length).toBe(reference.trades.length);
    perf.trades.forEach((t, k) => {
      const r = reference.trades[k]!;
      expect(withoutReason(t)).toEqual({
        ...withoutReason(r),
        entryFee: expect.closeTo(r.entryFee, 9),
        exitFee: expect.closeTo(r.exitFee, 9),
        pnl: expect.closeTo(r.pnl, 6),
        returnFraction: expect.closeTo(r.returnFraction, 12),
      });
    });
    expectSameStatistics(perf.statistics, reference.stats);
  });
});

describe('tradesFromFills', () => {
  const fill = (over: Partial<PaperFill>): PaperFill => ({
    fillId: 'f', botId: 'b', clientOrderId: null, timeMs: 0, side: 'buy', quantity: 1, price: 100, fee: 0, reason: 'entry', remaining: 0, realizedPnl: 0, ...over,
  });

  it('closes lots oldest first and splits a partial close and its fee by units', () => {
    const trades = tradesFromFills(
      [
        fill({ timeMs: 0, quantity: 2, price: 100, fee: 0.2 }),
        fill({ timeMs: 1, quantity: 2, price: 110, fee: 0.22 }),
        fill({ timeMs: 2, side: 'sell', quantity: 3, price: 120, fee: 0.36, reason: 'exit' }),
      ],
      [0, 1, 2],
    );
    expect(trades.map((t) => [t.quantity, t.entryPrice, t.entryBar, t.exitBar])).toEqual([
      [2, 100, 0, 2],
      [1, 110, 1, 2],
    ]);
    expect(trades[0]!.exitFee).toBeCloseTo(0.24, 12);
    expect(trades[1]!.entryFee).toBeCloseTo(0.11, 12);
    expect(trades[1]!.pnl).toBeCloseTo(10 - 0.11 - 0.12, 12);
  });

  it('books shorts with the sign of their side', () => {
    const [trade] = tradesFromFills([fill({ side: 'sell', quantity: 4, price: 50 }), fill({ timeMs: 5, side: 'buy', quantity: 4, price: 40, reason: 'stop-loss' })], [0, 3, 6]);
    expect(trade).toMatchObject({ side: 'short', pnl: 40, exitBar: 1, exitReason: 'stop-loss' });
    expect(trade!.returnFraction).toBeCloseTo(0.2, 12);
  });

  it('leaves an open position out of the trades', () => {
    expect(tradesFromFills([fill({})], [0])).toEqual([]);
  });
});
