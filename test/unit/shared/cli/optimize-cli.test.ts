import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BacktestWorkerPool, batchSize } from '../../../../shared/cli/backtest-worker-pool.js';
import { EXIT_OK, EXIT_USAGE } from '../../../../shared/cli/cli-io.js';
import { optimizeMain } from '../../../../shared/cli/optimize-cli.js';
import { statisticsJson } from '../../../../shared/cli/stats-format.js';
import { parseBacktestConfig } from '../../../../shared/trading/backtest/backtest-config.js';
import { runBacktest } from '../../../../shared/trading/backtest/backtest-engine.js';
import type { BacktestConfig } from '../../../../shared/trading/backtest/backtest-types.js';
import { parseOhlcvCsv } from '../../../../shared/trading/csv/ohlcv-csv-parser.js';
import { expandGrid } from '../../../../shared/trading/optimize/grid-spec.js';
import { runOutOfSample, type WindowPick } from '../../../../shared/trading/optimize/out-of-sample.js';
import { rankByMetric } from '../../../../shared/trading/optimize/rank-results.js';
import { sliceSeries } from '../../../../shared/trading/optimize/slice-series.js';
import { walkForwardWindows } from '../../../../shared/trading/optimize/walk-forward.js';
import { getStrategy, parseStrategyParams } from '../../../../shared/trading/strategies/registry.js';
import type { Strategy } from '../../../../shared/trading/strategies/strategy.js';
import type { BarSeries } from '../../../../shared/trading/types.js';
import { captureIo } from './cli-test-io.js';
import { createSourceWorker } from './ts-worker.js';

jest.setTimeout(60_000);

const GOOG = path.resolve(__dirname, '../../../../../shared/data/GOOG.csv');
type Params = Record<string, unknown>;

function load(): BarSeries {
  const parsed = parseOhlcvCsv(readFileSync(GOOG, 'utf8'), GOOG);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

function strategyById(id: string): Strategy<Params, unknown> {
  const strategy = getStrategy(id);
  if (!strategy.ok) throw new Error(strategy.error.message);
  return strategy.value as Strategy<Params, unknown>;
}

const config: BacktestConfig = (() => {
  const parsed = parseBacktestConfig({
    cash: 25_000,
    commission: { rate: 0.001, fixed: 0 },
    slippageBps: 2,
    sizing: { mode: 'fraction', value: 0.5 },
    lotStep: 1,
    shortAllowed: true,
  });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
})();
const CONFIG_FLAGS = ['--cash', '25000', '--commission', '0.001', '--slippage', '2', '--size', '0.5', '--lot', '1'];

/** A single backtest run on its own, the way `npm run backtest` does it. */
function alone(series: BarSeries, strategy: Strategy<Params, unknown>, raw: Params, start = 0, end = series.length) {
  const params = parseStrategyParams(strategy, raw);
  if (!params.ok) throw new Error(params.error.message);
  return runBacktest(sliceSeries(series, { start, end }), strategy, params.value, config);
}

describe('BacktestWorkerPool', () => {
  it('returns, in job order, the same statistics as running each backtest alone', async () => {
    const series = load();
    const strategy = strategyById('ema-cross');
    const combos = expandGrid([
      { name: 'fast', values: [5, 8, 12] },
      { name: 'slow', values: [20, 40] },
    ]);
    const jobs = combos.flatMap((raw, k) => {
      const parsed = parseStrategyParams(strategy, raw);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return [
        { id: 2 * k, params: parsed.value, start: 0, end: series.length },
        { id: 2 * k + 1, params: parsed.value, start: 300, end: 1200 },
      ];
    });
    const pool = new BacktestWorkerPool({ workers: 2, strategyId: 'ema-cross', config, series, createWorker: createSourceWorker });
    const progress: number[] = [];
    try {
      const results = await pool.run(jobs, (done) => progress.push(done));
      expect(results.map((r) => r.id)).toEqual(jobs.map((j) => j.id));
      results.forEach((result, k) => {
        const job = jobs[k]!;
        expect(result).toEqual({ id: job.id, stats: alone(series, strategy, job.params, job.start, job.end).stats });
      });
      expect(progress[progress.length - 1]).toBe(jobs.length);
    } finally {
      await pool.close();
    }
  });

  it('fails the run when the worker cannot load the strategy', async () => {
    const pool = new BacktestWorkerPool({ workers: 1, strategyId: 'nope', config, series: load(), createWorker: createSourceWorker });
    try {
      await expect(pool.run([{ id: 0, params: {}, start: 0, end: 10 }])).rejects.toThrow('optimizer worker failed: unknown strategy "nope"');
    } finally {
      await pool.close();
    }
  });

  it('sizes batches so each worker gets several', () => {
    expect([batchSize(1, 4), batchSize(190, 2), batchSize(1_000_000, 8)]).toEqual([1, 6, 256]);
  });
});

interface OptimizeJson {
  combinations: number;
  skipped: number;
  failed: number;
  backtests: number;
  top: { rank: number; params: Params; stats: Record<string, number | null> }[];
  walkForward?: {
    windows: { params: Params; trainMetric: number | null; cashStart: number; stats: Record<string, number | null> }[];
    outOfSample: Record<string, number | null>;
  };
}

async function optimizeJson(argv: string[]): Promise<OptimizeJson> {
  const io = captureIo();
  const code = await optimizeMain([...argv, '--json'], io, { createWorker: createSourceWorker });
  if (code !== EXIT_OK) throw new Error(io.stderr());
  return JSON.parse(io.stdout()) as OptimizeJson;
}

describe('optimizeMain', () => {
  const series = load();
  const smaCross = strategyById('sma-cross');
  const grid = ['--grid', 'fast=5:25:10', '--grid', 'slow=15:45:15'];

  it('ranks every valid combination with statistics identical to single runs and counts the skipped ones', async () => {
    const json = await optimizeJson([
      '--data', GOOG, '--strategy', 'sma-cross', ...grid, '--param', 'allowShort=true', '--metric', 'sharpe',
      '--workers', '2', '--top', '100', ...CONFIG_FLAGS,
    ]);
    // fast 5, 15, 25 × slow 15, 30, 45: fast ≥ slow for (15,15), (25,15).
    expect([json.combinations, json.skipped, json.failed, json.backtests]).toEqual([9, 2, 0, 7]);
    expect(json.top).toHaveLength(7);
    const expected = json.top.map((entry) => statisticsJson(alone(series, smaCross, { ...entry.params, allowShort: true }).stats));
    expect(json.top.map((entry) => entry.stats)).toEqual(expected);
    const sharpes = json.top.map((entry) => entry.stats.sharpe ?? -Infinity);
    expect(sharpes).toEqual([...sharpes].sort((a, b) => b - a));
  });

  it('gives the same results with one worker as with several', async () => {
    const argv = ['--data', GOOG, '--strategy', 'sma-cross', ...grid, '--top', '100', ...CONFIG_FLAGS];
    const [one, two] = [await optimizeJson([...argv, '--workers', '1']), await optimizeJson([...argv, '--workers', '2'])];
    expect(one.top).toEqual(two.top);
  });

  it('picks each training window’s best params from single runs and reports their out-of-sample statistics', async () => {
    const json = await optimizeJson([
      '--data', GOOG, '--strategy', 'sma-cross', ...grid, '--metric', 'returnPct', '--walk-forward', 'train=600,test=300',
      '--workers', '2', ...CONFIG_FLAGS,
    ]);
    const windows = walkForwardWindows(series.length, { train: 600, test: 300 });
    if (!windows.ok) throw new Error(windows.error.message);
    const combos = expandGrid([
      { name: 'fast', values: [5, 15, 25] },
      { name: 'slow', values: [15, 30, 45] },
    ]).filter((raw) => parseStrategyParams(smaCross, raw).ok);
    const picks: WindowPick<Params>[] = windows.value.map((window) => {
      const outcomes = combos.map((raw, index) => ({ index, params: raw, stats: alone(series, smaCross, raw, window.trainStart, window.trainEnd).stats }));
      const best = rankByMetric(outcomes, 'returnPct')[0]!;
      const params = parseStrategyParams(smaCross, best.params);
      if (!params.ok) throw new Error(params.error.message);
      return { window, params: params.value, trainMetric: best.stats.returnPct };
    });
    const expected = runOutOfSample(series, smaCross, config, picks);

    expect(json.walkForward!.windows.map((w) => w.params)).toEqual(picks.map((p) => ({ fast: p.params.fast, slow: p.params.slow })));
    expect(json.walkForward!.windows.map((w) => w.trainMetric)).toEqual(picks.map((p) => p.trainMetric));
    expect(json.walkForward!.windows.map((w) => w.stats)).toEqual(expected.windows.map((w) => statisticsJson(w.stats)));
    expect(json.walkForward!.outOfSample).toEqual(statisticsJson(expected.combined));
  });

  it('prints a top table, a walk-forward table and out-of-sample statistics, with a progress bar on a terminal', async () => {
    const io = captureIo(true);
    const code = await optimizeMain(
      ['--data', GOOG, '--strategy', 'sma-cross', ...grid, '--walk-forward', 'train=600,test=300', '--top', '3', '--workers', '2'],
      io,
      { createWorker: createSourceWorker },
    );
    expect(code).toBe(EXIT_OK);
    const out = io.stdout();
    expect(out).toContain('grid fast (3) × slow (3) = 9 combinations');
    expect(out).toContain('2 of 9 combinations skipped as invalid (e.g. fast=15 slow=15: fast must be less than slow)');
    expect(out).toMatch(/Top 3 of 7 by sharpe \(full period\):\n# {2}fast {2}slow {2}sharpe/);
    expect(out).toContain('Walk-forward: 5 windows of 600 training + 300 test bars');
    expect(out).toMatch(/Out-of-sample, windows chained .*\nTrades +\d+\n/);
    expect(io.stderr()).toMatch(/\rbacktests \[#+\] 100% 42\/42 /);
  });

  it('refuses grid parameters the strategy does not have, listing its parameters', async () => {
    const io = captureIo();
    const code = await optimizeMain(['--data', GOOG, '--strategy', 'sma-cross', '--grid', 'fats=5:10'], io);
    expect(code).toBe(EXIT_USAGE);
    expect(io.stderr()).toBe('error: --grid: sma-cross has no parameter "fats"; its parameters are fast, slow, allowShort\n');
  });

  it('refuses a grid with no valid combination', async () => {
    const io = captureIo();
    const code = await optimizeMain(['--data', GOOG, '--strategy', 'sma-cross', '--grid', 'fast=50:60:10', '--grid', 'slow=20:30:10'], io);
    expect(code).toBe(EXIT_USAGE);
    expect(io.stderr()).toBe('error: none of the 4 combinations is valid for sma-cross: fast must be less than slow\n');
  });
});
