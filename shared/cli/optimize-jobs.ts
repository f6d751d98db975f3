/** Messages between the optimizer and its worker threads. */
import type { BacktestConfig, Statistics } from '../trading/backtest/backtest-types.js';
import type { BarSeries } from '../trading/types.js';

/** One backtest: params over bars `[start, end)` of the shared series. */
export interface BacktestJob {
  readonly id: number;
  readonly params: Record<string, unknown>;
  readonly start: number;
  readonly end: number;
}

export type BacktestJobResult =
  | { readonly id: number; readonly stats: Statistics }
  | { readonly id: number; readonly error: string };

export interface OptimizeWorkerData {
  readonly strategyId: string;
  readonly config: BacktestConfig;
  /** Typed arrays over SharedArrayBuffers: every worker reads the same memory, nothing is copied. */
  readonly series: BarSeries;
}

export interface JobBatchMessage {
  readonly jobs: readonly BacktestJob[];
}

export type WorkerReply =
  | { readonly kind: 'results'; readonly results: readonly BacktestJobResult[] }
  | { readonly kind: 'fatal'; readonly message: string };
