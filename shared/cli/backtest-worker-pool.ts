/**
 * Runs backtest jobs on worker threads. The series is copied once into SharedArrayBuffers that every
 * worker reads; jobs go out in small batches and an idle worker takes the next batch, so uneven run
 * times balance out. Results are returned in job order whatever order workers finish in.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BacktestConfig } from '../trading/backtest/backtest-types.js';
import type { BarSeries } from '../trading/types.js';
import type { BacktestJob, BacktestJobResult, OptimizeWorkerData, WorkerReply } from './optimize-jobs.js';

export type CreateWorker = (data: OptimizeWorkerData) => Worker;

export interface WorkerPoolOptions {
  readonly workers: number;
  readonly strategyId: string;
  readonly config: BacktestConfig;
  readonly series: BarSeries;
  /** Tests start the TypeScript worker through a loader; production uses the compiled file. */
  readonly createWorker?: CreateWorker;
}

export const defaultCreateWorker: CreateWorker = (data) =>
  new Worker(path.join(__dirname, 'optimize-worker.js'), { workerData: data });

function sharedCopy(source: Float64Array): Float64Array {
  const shared = new Float64Array(new SharedArrayBuffer(source.length * Float64Array.BYTES_PER_ELEMENT));
  shared.set(source);
  return shared;
}

export function sharedSeries(series: BarSeries): BarSeries {
  return {
    length: series.length,
    timeMs: sharedCopy(series.timeMs),
    open: sharedCopy(series.open),
    high: sharedCopy(series.high),
    low: sharedCopy(series.low),
    close: sharedCopy(series.close),
    volume: sharedCopy(series.volume),
  };
}

/**
 * Small enough batches that workers finish together, big enough that messaging stays a small
 * share of the time (a daily-bar backtest can take well under a millisecond).
 */
export function batchSize(jobs: number, workers: number): number {
  return Math.max(1, Math.min(256, Math.ceil(jobs / (workers * 16))));
}

export class BacktestWorkerPool {
  private readonly workers: Worker[];
  private closed = false;
  /** Set when a worker dies; every later run fails with it. */
  private failure: Error | undefined;
  /** The running batch's failure handler, if a run is in progress. */
  private failRun: ((error: Error) => void) | undefined;

  constructor(options: WorkerPoolOptions) {
    const create = options.createWorker ?? defaultCreateWorker;
    const data: OptimizeWorkerData = {
      strategyId: options.strategyId,
      config: options.config,
      series: sharedSeries(options.series),
    };
    this.workers = Array.from({ length: Math.max(1, options.workers) }, () => {
      const worker = create(data);
      // Listening from the start: a worker can die before the first run (e.g. a load error), and an
      // 'error' event nobody listens to would crash the process.
      worker.on('error', (error) => this.fail(new Error(`optimizer worker crashed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`optimizer worker exited early with code ${code}`));
      });
      return worker;
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.failRun?.(error);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs every job; `onProgress(done, total)` after each finished batch. One run at a time. */
  run(jobs: readonly BacktestJob[], onProgress?: (done: number, total: number) => void): Promise<BacktestJobResult[]> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    if (this.failure) return Promise.reject(this.failure);
    if (this.failRun) return Promise.reject(new Error('a run is already in progress on this pool'));
    const results = new Array<BacktestJobResult>(jobs.length);
    const positionOfId = new Map<number, number>();
    jobs.forEach((job, position) => positionOfId.set(job.id, position));
    if (jobs.length === 0) return Promise.resolve(results);
    const size = batchSize(jobs.length, this.workers.length);

    return new Promise<BacktestJobResult[]>((resolve, reject) => {
      let next = 0;
      let done = 0;
      let settled = false;
      const cleanups: (() => void)[] = [];
      this.failRun = (error) => finish(error);
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        for (const cleanup of cleanups) cleanup();
        this.failRun = undefined;
        if (error) {
          reject(error);
        } else {
          resolve(results);
        }
      };
      const dispatch = (worker: Worker): void => {
        if (next >= jobs.length) return;
        const batch = jobs.slice(next, next + size);
        next += batch.length;
        worker.postMessage({ jobs: batch });
      };
      for (const worker of this.workers) {
        const onMessage = (reply: WorkerReply): void => {
          if (reply.kind === 'fatal') {
            this.fail(new Error(`optimizer worker failed: ${reply.message}`));
            return;
          }
          for (const result of reply.results) {
            const position = positionOfId.get(result.id);
            if (position !== undefined) results[position] = result;
          }
          done += reply.results.length;
          onProgress?.(done, jobs.length);
          if (done === jobs.length) finish();
          else dispatch(worker);
        };
        worker.on('message', onMessage);
        cleanups.push(() => worker.off('message', onMessage));
        dispatch(worker);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
