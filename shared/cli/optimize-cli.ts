/**
 * `npm run optimize -- --data FILE.csv --strategy ID --grid fast=5:50:5 --grid slow=20:200:10 …`:
 * grid search on worker threads, ranked by a metric, optionally walk-forward. See docs/cli.md.
 */
import { availableParallelism } from 'node:os';
import type { AppError } from '../core/result.js';
import type { Statistics } from '../trading/backtest/backtest-types.js';
import type { GridValue } from '../trading/optimize/grid-spec.js';
import { metricValue, type OptimizeMetric } from '../trading/optimize/optimize-metric.js';
import { planGrid, type OptimizePlan, type PlannedRun } from '../trading/optimize/optimize-plan.js';
import { runOutOfSample, type OutOfSampleResult, type WindowPick } from '../trading/optimize/out-of-sample.js';
import { rankByMetric, type RunOutcome } from '../trading/optimize/rank-results.js';
import { walkForwardWindows, type WalkForwardWindow } from '../trading/optimize/walk-forward.js';
import { getStrategy, parseStrategyParams } from '../trading/strategies/registry.js';
import type { AnyStrategy, Strategy } from '../trading/strategies/strategy.js';
import type { BarSeries } from '../trading/types.js';
import { BacktestWorkerPool, type CreateWorker } from './backtest-worker-pool.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, reportError, runAsProcess, type CliIo } from './cli-io.js';
import { loadSeries } from './load-series.js';
import { OPTIMIZE_USAGE, parseOptimizeArgs, type OptimizeArgs } from './optimize-args.js';
import type { BacktestJob } from './optimize-jobs.js';
import { ProgressBar } from './progress-bar.js';
import { formatStat, renderGrid, renderTable, statisticsJson, statRows } from './stats-format.js';
import { formatParams, formatParamValue, strategyParamNames } from './strategy-params.js';

const USAGE_HINT = 'Run with --help for usage.';

export interface OptimizeMainOptions {
  /** Tests load the TypeScript worker through a loader. */
  readonly createWorker?: CreateWorker;
}

type Params = Record<string, unknown>;

/** The statistics of one grid combination on one bar range. */
interface EvaluatedRun {
  readonly run: PlannedRun<Params>;
  readonly stats: Statistics;
}

export interface GridSearchResult {
  /** Ranked best first. */
  readonly ranked: readonly RunOutcome<Readonly<Record<string, GridValue>>>[];
  /** Runs whose backtest threw (reported, not ranked). */
  readonly failed: readonly { readonly gridValues: Readonly<Record<string, GridValue>>; readonly error: string }[];
}

export interface WalkForwardReport {
  readonly train: number;
  readonly test: number;
  readonly outOfSample: OutOfSampleResult<Params>;
  readonly gridValues: readonly Readonly<Record<string, GridValue>>[];
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, '; ');

/** The zod messages of a refused combination, without the multi-line pretty format. */
function skipReason(error: AppError): string {
  const issues = Array.isArray(error.details) ? (error.details as { message?: unknown }[]) : [];
  const messages = issues.map((issue) => issue.message).filter((m): m is string => typeof m === 'string');
  return messages.length > 0 ? messages.join('; ') : oneLine(error.message);
}

const isoDay = (timeMs: number): string => {
  const iso = new Date(timeMs).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
};

function describeSkipped(plan: OptimizePlan<Params>): string {
  const first = plan.skipped[0];
  if (first === undefined) return '';
  return `${plan.skipped.length} of ${plan.combinations} combinations skipped as invalid (e.g. ${formatParams(first.gridValues)}: ${first.reason})`;
}

function rankRuns(evaluated: readonly EvaluatedRun[], metric: OptimizeMetric): RunOutcome<Readonly<Record<string, GridValue>>>[] {
  return rankByMetric(
    evaluated.map(({ run, stats }) => ({ index: run.index, params: run.gridValues, stats })),
    metric,
  );
}

/** Splits pool results into evaluated runs (in plan order) and failures. */
function collect(
  runs: readonly PlannedRun<Params>[],
  results: readonly ({ stats: Statistics } | { error: string })[],
  offset: number,
): { evaluated: EvaluatedRun[]; failed: GridSearchResult['failed'][number][] } {
  const evaluated: EvaluatedRun[] = [];
  const failed: GridSearchResult['failed'][number][] = [];
  runs.forEach((run, k) => {
    const result = results[offset + k]!;
    if ('stats' in result) evaluated.push({ run, stats: result.stats });
    else failed.push({ gridValues: run.gridValues, error: result.error });
  });
  return { evaluated, failed };
}

function topTable(ranked: GridSearchResult['ranked'], metric: OptimizeMetric, top: number, axisNames: readonly string[]): string {
  const columns: OptimizeMetric[] = [metric, ...(['returnPct', 'sharpe', 'maxDrawdownPct', 'trades', 'winRatePct'] as const).filter((k) => k !== metric)];
  const header = ['#', ...axisNames, ...columns];
  const rows = ranked.slice(0, top).map((outcome, k) => [
    String(k + 1),
    ...axisNames.map((name) => formatParamValue(outcome.params[name])),
    ...columns.map((key) => formatStat(key, outcome.stats[key])),
  ]);
  return renderGrid(header, rows);
}

function walkForwardTable(report: WalkForwardReport, series: BarSeries, metric: OptimizeMetric, axisNames: readonly string[]): string {
  const header = ['window', 'train from', 'test from', 'test to', ...axisNames, `train ${metric}`, `test ${metric}`, 'test return%', 'test maxDD%', 'trades'];
  const rows = report.outOfSample.windows.map((w, k) => [
    String(w.window.index + 1),
    isoDay(series.timeMs[w.window.trainStart]!),
    isoDay(series.timeMs[w.window.testStart]!),
    isoDay(series.timeMs[w.window.testEnd - 1]!),
    ...axisNames.map((name) => formatParamValue(report.gridValues[k]![name])),
    formatStat(metric, w.trainMetric),
    formatStat(metric, w.stats[metric]),
    formatStat('returnPct', w.stats.returnPct),
    formatStat('maxDrawdownPct', w.stats.maxDrawdownPct),
    String(w.stats.trades),
  ]);
  return renderGrid(header, rows);
}

function fail(io: CliIo, error: AppError, code: number, hint?: string): number {
  return reportError(io, error, code, hint);
}

function validateAxisNames(strategy: AnyStrategy, args: OptimizeArgs): string | undefined {
  const known = strategyParamNames(strategy);
  if (known === undefined) return undefined;
  const unknown = args.axes.map((a) => a.name).filter((name) => !known.includes(name));
  if (unknown.length === 0) return undefined;
  return `--grid: ${strategy.id} has no parameter ${unknown.map((n) => `"${n}"`).join(', ')}; its parameters are ${known.join(', ')}`;
}

function buildJobs(
  runs: readonly PlannedRun<Params>[],
  ranges: readonly { start: number; end: number }[],
): BacktestJob[] {
  const jobs: BacktestJob[] = [];
  for (const range of ranges) {
    for (const run of runs) jobs.push({ id: jobs.length, params: run.params, start: range.start, end: range.end });
  }
  return jobs;
}

export async function optimizeMain(argv: readonly string[], io: CliIo, options: OptimizeMainOptions = {}): Promise<number> {
  const parsedArgs = parseOptimizeArgs(argv);
  if (!parsedArgs.ok) return fail(io, parsedArgs.error, EXIT_USAGE, USAGE_HINT);
  if (parsedArgs.value.help) {
    io.out(OPTIMIZE_USAGE);
    return EXIT_OK;
  }
  const args: OptimizeArgs = parsedArgs.value;

  const strategyResult = getStrategy(args.strategyId);
  if (!strategyResult.ok) return fail(io, strategyResult.error, EXIT_USAGE);
  // The registry holds strategies of every param shape; here params are plain records validated by its schema.
  const strategy = strategyResult.value as Strategy<Params, unknown>;
  const axisProblem = validateAxisNames(strategy, args);
  if (axisProblem !== undefined) {
    io.err(`error: ${axisProblem}\n`);
    return EXIT_USAGE;
  }
  const plan = planGrid<Params>(args.axes, args.rawParams, (raw) => {
    const parsed = parseStrategyParams(strategy, raw);
    return parsed.ok ? parsed : { ok: false, error: { ...parsed.error, message: skipReason(parsed.error) } };
  });
  if (plan.runs.length === 0) {
    io.err(`error: none of the ${plan.combinations} combinations is valid for ${strategy.id}: ${plan.skipped[0]?.reason ?? ''}\n`);
    return EXIT_USAGE;
  }

  const seriesResult = await loadSeries(args.dataPath);
  if (!seriesResult.ok) return fail(io, seriesResult.error, EXIT_FAILURE);
  const series = seriesResult.value;

  let windows: WalkForwardWindow[] = [];
  if (args.walkForward !== undefined) {
    const split = walkForwardWindows(series.length, args.walkForward);
    if (!split.ok) return fail(io, split.error, EXIT_FAILURE);
    windows = split.value;
  }

  // The full period first, then each training window: one pool run for everything.
  const ranges = [{ start: 0, end: series.length }, ...windows.map((w) => ({ start: w.trainStart, end: w.trainEnd }))];
  const jobs = buildJobs(plan.runs, ranges);
  const workers = Math.max(1, Math.min(args.workers ?? availableParallelism(), jobs.length));
  const pool = new BacktestWorkerPool({
    workers,
    strategyId: strategy.id,
    config: args.config,
    series,
    ...(options.createWorker ? { createWorker: options.createWorker } : {}),
  });
  const progress = new ProgressBar(io, 'backtests');
  const startedMs = performance.now();
  let results;
  try {
    results = await pool.run(jobs, (done, total) => progress.update(done, total));
  } finally {
    progress.finish();
    await pool.close();
  }
  const elapsedS = (performance.now() - startedMs) / 1000;

  const full = collect(plan.runs, results, 0);
  const ranked = rankRuns(full.evaluated, args.metric);
  let walkForward: WalkForwardReport | undefined;
  if (args.walkForward !== undefined) {
    const picks: WindowPick<Params>[] = [];
    const pickedGridValues: Readonly<Record<string, GridValue>>[] = [];
    windows.forEach((window, w) => {
      const inWindow = collect(plan.runs, results, (w + 1) * plan.runs.length);
      const best = rankRuns(inWindow.evaluated, args.metric)[0];
      if (best === undefined) return;
      const run = plan.runs.find((r) => r.index === best.index)!;
      picks.push({ window, params: run.params, trainMetric: metricValue(best.stats, args.metric) });
      pickedGridValues.push(run.gridValues);
    });
    if (picks.length === 0) {
      io.err('error: every walk-forward training run failed; no out-of-sample result\n');
      return EXIT_FAILURE;
    }
    walkForward = {
      train: args.walkForward.train,
      test: args.walkForward.test,
      outOfSample: runOutOfSample(series, strategy, args.config, picks),
      gridValues: pickedGridValues,
    };
  }

  const summary = {
    bars: series.length,
    combinations: plan.combinations,
    skipped: plan.skipped.length,
    failed: full.failed.length,
    backtests: jobs.length,
    workers,
    seconds: elapsedS,
  };
  io.err(`${summary.backtests} backtests on ${workers} worker${workers === 1 ? '' : 's'} in ${elapsedS.toFixed(2)} s (${(summary.backtests / elapsedS).toFixed(0)}/s)\n`);

  if (args.json) {
    io.out(`${JSON.stringify(optimizeJson(args, series, summary, plan, ranked, full.failed, walkForward))}\n`);
    return EXIT_OK;
  }
  printText(io, args, strategy, series, plan, ranked, full.failed, walkForward);
  return EXIT_OK;
}

function optimizeJson(
  args: OptimizeArgs,
  series: BarSeries,
  summary: Record<string, number>,
  plan: OptimizePlan<Params>,
  ranked: GridSearchResult['ranked'],
  failed: GridSearchResult['failed'],
  walkForward: WalkForwardReport | undefined,
): unknown {
  return {
    strategy: args.strategyId,
    metric: args.metric,
    ...summary,
    skippedCombinations: plan.skipped.map((s) => ({ params: s.gridValues, reason: s.reason })),
    failedRuns: failed,
    top: ranked.slice(0, args.top).map((r, k) => ({ rank: k + 1, params: r.params, stats: statisticsJson(r.stats) })),
    ...(walkForward === undefined
      ? {}
      : {
          walkForward: {
            train: walkForward.train,
            test: walkForward.test,
            windows: walkForward.outOfSample.windows.map((w, k) => ({
              trainFrom: new Date(series.timeMs[w.window.trainStart]!).toISOString(),
              testFrom: new Date(series.timeMs[w.window.testStart]!).toISOString(),
              testTo: new Date(series.timeMs[w.window.testEnd - 1]!).toISOString(),
              params: walkForward.gridValues[k],
              trainMetric: w.trainMetric,
              cashStart: w.cashStart,
              stats: statisticsJson(w.stats),
            })),
            outOfSample: statisticsJson(walkForward.outOfSample.combined),
          },
        }),
  };
}

function printText(
  io: CliIo,
  args: OptimizeArgs,
  strategy: AnyStrategy,
  series: BarSeries,
  plan: OptimizePlan<Params>,
  ranked: GridSearchResult['ranked'],
  failed: GridSearchResult['failed'],
  walkForward: WalkForwardReport | undefined,
): void {
  const axisNames = args.axes.map((a) => a.name);
  const lines: string[] = [];
  const fixed = formatParams(args.rawParams);
  lines.push(
    `${strategy.id} on ${args.dataPath}: ${series.length} bars, ${isoDay(series.timeMs[0]!)} → ${isoDay(series.timeMs[series.length - 1]!)}`,
    `grid ${args.axes.map((a) => `${a.name} (${a.values.length})`).join(' × ')} = ${plan.combinations} combinations${fixed ? `; fixed ${fixed}` : ''}`,
  );
  if (plan.skipped.length > 0) lines.push(describeSkipped(plan));
  if (failed.length > 0) lines.push(`${failed.length} runs failed (e.g. ${formatParams(failed[0]!.gridValues)}: ${failed[0]!.error})`);
  lines.push('', `Top ${Math.min(args.top, ranked.length)} of ${ranked.length} by ${args.metric} (full period):`, topTable(ranked, args.metric, args.top, axisNames));
  if (walkForward !== undefined) {
    const oos = walkForward.outOfSample;
    lines.push(
      `Walk-forward: ${oos.windows.length} windows of ${walkForward.train} training + ${walkForward.test} test bars; best ${args.metric} on each training window, tested on the bars after it:`,
      walkForwardTable(walkForward, series, args.metric, axisNames),
      `Out-of-sample, windows chained (${isoDay(series.timeMs[oos.windows[0]!.window.testStart]!)} → ${isoDay(series.timeMs[oos.windows[oos.windows.length - 1]!.window.testEnd - 1]!)}):`,
      renderTable(statRows(oos.combined)),
    );
  }
  io.out(`${lines.join('\n')}\n`);
}

if (require.main === module) runAsProcess((argv, io) => optimizeMain(argv, io));
