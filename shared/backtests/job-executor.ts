/**
 * Runs the CPU part of a job. Two implementations: `threadJobExecutor` (production: a worker thread
 * per backtest, the optimizer's worker pool for grids, so the Function App's event loop keeps
 * serving requests while a long run computes) and `inlineJobExecutor` (same results in-process, for
 * unit tests that run TypeScript sources, where the compiled worker file does not exist).
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { BacktestWorkerPool } from '../cli/backtest-worker-pool.js';
import type { BacktestJobResult } from '../cli/optimize-jobs.js';
import { runBacktest } from '../trading/backtest/backtest-engine.js';
import type { BacktestConfig } from '../trading/backtest/backtest-types.js';
import { getStrategy } from '../trading/strategies/registry.js';
import type { BarSeries } from '../trading/types.js';
import { backtestOutput, type BacktestOutput } from './backtest-output.js';

export interface BacktestTask {
  readonly series: BarSeries;
  readonly strategyId: string;
  readonly params: Record<string, unknown>;
  readonly config: BacktestConfig;
}

export interface OptimizeTask {
  readonly series: BarSeries;
  readonly strategyId: string;
  readonly config: BacktestConfig;
  /** `id` is the combination's grid index. */
  readonly runs: readonly { readonly id: number; readonly params: Record<string, unknown> }[];
}

export type RunResult = BacktestJobResult;

export interface JobExecutor {
  backtest(task: BacktestTask, signal: AbortSignal): Promise<BacktestOutput>;
  optimize(task: OptimizeTask, onProgress: (done: number, total: number) => void, signal: AbortSignal): Promise<RunResult[]>;
}

export class JobAbortedError extends Error {
  constructor() {
    super('the job was cancelled');
    this.name = 'JobAbortedError';
  }
}

function strategyOrThrow(id: string) {
  const strategy = getStrategy(id);
  if (!strategy.ok) throw new Error(strategy.error.message);
  return strategy.value;
}

export const inlineJobExecutor: JobExecutor = {
  backtest(task, signal) {
    if (signal.aborted) return Promise.reject(new JobAbortedError());
    const result = runBacktest(task.series, strategyOrThrow(task.strategyId), task.params, task.config);
    return Promise.resolve(backtestOutput(task.series, result));
  },
  async optimize(task, onProgress, signal) {
    const strategy = strategyOrThrow(task.strategyId);
    const results: RunResult[] = [];
    for (const run of task.runs) {
      if (signal.aborted) throw new JobAbortedError();
      try {
        results.push({ id: run.id, stats: runBacktest(task.series, strategy, run.params, task.config).stats });
      } catch (e) {
        results.push({ id: run.id, error: e instanceof Error ? e.message : String(e) });
      }
      onProgress(results.length, task.runs.length);
      // Let progress writes and cancellation checks through between runs.
      await new Promise((r) => setImmediate(r));
    }
    return results;
  },
};

export interface ThreadExecutorOptions {
  /** Worker threads per optimization; default: one per core but one, at most 4. */
  readonly optimizerWorkers?: number;
}

export function threadJobExecutor(options: ThreadExecutorOptions = {}): JobExecutor {
  const workers = options.optimizerWorkers ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  return {
    backtest(task, signal) {
      return new Promise<BacktestOutput>((resolve, reject) => {
        if (signal.aborted) return reject(new JobAbortedError());
        const worker = new Worker(path.join(__dirname, 'backtest-run-worker.js'), { workerData: task });
        let settled = false;
        const settle = (fn: () => void): void => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          fn();
          void worker.terminate();
        };
        const onAbort = (): void => settle(() => reject(new JobAbortedError()));
        signal.addEventListener('abort', onAbort);
        worker.once('message', (reply: { ok: true; output: BacktestOutput } | { ok: false; message: string }) =>
          settle(() => (reply.ok ? resolve(reply.output) : reject(new Error(reply.message)))),
        );
        worker.once('error', (e) => settle(() => reject(e)));
        worker.once('exit', (code) => settle(() => reject(new Error(`backtest worker exited with code ${code}`))));
      });
    },
    async optimize(task, onProgress, signal) {
      if (signal.aborted) throw new JobAbortedError();
      const pool = new BacktestWorkerPool({ workers: Math.min(workers, task.runs.length), strategyId: task.strategyId, config: task.config, series: task.series });
      // A closed pool does not settle a run in progress, so cancellation races the run instead.
      let onAbort = (): void => undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new JobAbortedError());
        signal.addEventListener('abort', onAbort);
      });
      try {
        const jobs = task.runs.map((r) => ({ id: r.id, params: r.params, start: 0, end: task.series.length }));
        return await Promise.race([pool.run(jobs, onProgress), aborted]);
      } finally {
        signal.removeEventListener('abort', onAbort);
        await pool.close();
      }
    },
  };
}
