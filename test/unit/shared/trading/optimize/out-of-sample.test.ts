import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_BACKTEST_CONFIG } from '../../../../../shared/trading/backtest/backtest-config.js';
import { runBacktest } from '../../../../../shared/trading/backtest/backtest-engine.js';
import { parseOhlcvCsv } from '../../../../../shared/trading/csv/ohlcv-csv-parser.js';
import { runOutOfSample, type WindowPick } from '../../../../../shared/trading/optimize/out-of-sample.js';
import { sliceSeries } from '../../../../../shared/trading/optimize/slice-series.js';
import { walkForwardWindows } from '../../../../../shared/trading/optimize/walk-forward.js';
import { computeStatistics } from '../../../../../shared/trading/stats/statistics.js';
import { smaCrossStrategy, type SmaCrossParams } from '../../../../../shared/trading/strategies/sma-cross.strategy.js';
import type { BarSeries } from '../../../../../shared/trading/types.js';

const DATA_DIR = path.resolve(__dirname, '../../../../../../shared/data');

function goog(): BarSeries {
  const parsed = parseOhlcvCsv(readFileSync(path.join(DATA_DIR, 'GOOG.csv'), 'utf8'), 'GOOG.csv');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('runOutOfSample', () => {
  const series = goog();
  const config = { ...DEFAULT_BACKTEST_CONFIG, commission: { rate: 0.001, fixed: 0 } };
  const windows = walkForwardWindows(series.length, { train: 500, test: 300 });
  if (!windows.ok) throw new Error(windows.error.message);
  const paramsByWindow: SmaCrossParams[] = [
    { fast: 10, slow: 30, allowShort: true },
    { fast: 5, slow: 40, allowShort: false },
    { fast: 20, slow: 50, allowShort: true },
  ];
  const picks: WindowPick<SmaCrossParams>[] = windows.value.map((window, k) => ({
    window,
    params: paramsByWindow[k % paramsByWindow.length]!,
    trainMetric: null,
  }));
  const result = runOutOfSample(series, smaCrossStrategy, config, picks);

  it('runs each window on its test bars plus the warmup before them, starting with the previous window’s equity', () => {
    let cash = config.cash;
    result.windows.forEach((w, k) => {
      const warmup = smaCrossStrategy.warmup(picks[k]!.params);
      const start = w.window.testStart - warmup;
      const alone = runBacktest(sliceSeries(series, { start, end: w.window.testEnd }), smaCrossStrategy, picks[k]!.params, { ...config, cash });
      const testEquity = alone.equity.subarray(warmup);
      expect(w.cashStart).toBe(cash);
      expect(Array.from(result.equity.subarray(w.window.testStart - picks[0]!.window.testStart, w.window.testEnd - picks[0]!.window.testStart))).toEqual(Array.from(testEquity));
      expect(w.stats.trades).toBe(alone.trades.length);
      cash = testEquity[testEquity.length - 1]!;
    });
    expect(result.combined.equityFinal).toBe(cash);
  });

  it('makes no trade in the warmup bars before a test window', () => {
    for (const w of result.windows) {
      const warmup = smaCrossStrategy.warmup(w.params);
      const alone = runBacktest(
        sliceSeries(series, { start: w.window.testStart - warmup, end: w.window.testEnd }),
        smaCrossStrategy,
        w.params,
        { ...config, cash: w.cashStart },
      );
      for (const trade of alone.trades) expect(trade.entryBar).toBeGreaterThanOrEqual(warmup);
      expect(Array.from(alone.equity.subarray(0, warmup)).every((e) => e === w.cashStart)).toBe(true);
    }
  });

  it('computes the combined statistics over the stitched test equity from the initial cash', () => {
    const first = picks[0]!.window.testStart;
    const last = picks[picks.length - 1]!.window.testEnd;
    const bars = sliceSeries(series, { start: first, end: last });
    expect(result.equity.length).toBe(last - first);
    expect(result.combined.trades).toBe(result.windows.reduce((n, w) => n + w.stats.trades, 0));
    expect(result.combined.returnPct).toBeCloseTo((result.combined.equityFinal / config.cash - 1) * 100, 9);
    const recomputed = computeStatistics({ equity: result.equity, timeMs: bars.timeMs, close: bars.close, trades: [], initialCash: config.cash, buyHoldStartIndex: 0 });
    expect(result.combined.sharpe).toBe(recomputed.sharpe);
    expect(result.combined.maxDrawdownPct).toBe(recomputed.maxDrawdownPct);
  });
});

describe('sliceSeries', () => {
  const series = goog();

  it('returns views of the requested bars without copying', () => {
    const part = sliceSeries(series, { start: 10, end: 20 });
    expect(part.length).toBe(10);
    expect(part.close[0]).toBe(series.close[10]);
    expect(part.close.buffer).toBe(series.close.buffer);
  });

  it('refuses ranges outside the series', () => {
    expect(() => sliceSeries(series, { start: -1, end: 5 })).toThrow(RangeError);
    expect(() => sliceSeries(series, { start: 5, end: series.length + 1 })).toThrow(RangeError);
  });
});
