/** Test helper: a `createWorker` that runs shared/cli/optimize-worker.ts from source. */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CreateWorker } from '../../../../shared/cli/backtest-worker-pool.js';

const LOADER = path.join(__dirname, 'ts-worker-loader.cjs');
const WORKER_SOURCE = path.resolve(__dirname, '../../../../shared/cli/optimize-worker.ts');

export const createSourceWorker: CreateWorker = (data) =>
  new Worker(LOADER, { workerData: { ...data, __entry: WORKER_SOURCE } });
