/**
 * Worker thread of the optimizer: runs batches of backtests with the same `runBacktest` a single
 * `npm run backtest` uses, over the series the main thread shared with it.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { runBacktest } from '../trading/backtest/backtest-engine.js';
import { sliceSeries } from '../trading/optimize/slice-series.js';
import { getStrategy } from '../trading/strategies/registry.js';
import type { BacktestJobResult, JobBatchMessage, OptimizeWorkerData, WorkerReply } from './optimize-jobs.js';

export function serveBacktestJobs(port: MessagePort, data: OptimizeWorkerData): void {
  const strategy = getStrategy(data.strategyId);
  port.on('message', (message: JobBatchMessage) => {
    if (!strategy.ok) {
      port.postMessage({ kind: 'fatal', message: strategy.error.message } satisfies WorkerReply);
      return;
    }
    const results: BacktestJobResult[] = message.jobs.map((job) => {
      try {
        const bars = sliceSeries(data.series, job);
        return { id: job.id, stats: runBacktest(bars, strategy.value, job.params, data.config).stats };
      } catch (error) {
        return { id: job.id, error: error instanceof Error ? error.message : String(error) };
      }
    });
    port.postMessage({ kind: 'results', results } satisfies WorkerReply);
  });
}

if (!isMainThread && parentPort !== null) serveBacktestJobs(parentPort, workerData as OptimizeWorkerData);
