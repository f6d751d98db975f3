/**
 * What the backtest, optimization and strategy routes answer, and their limits. Types and constants
 * only (no zod), so the site can import them without pulling a validator into its bundle.
 */
import type { Statistics, Trade } from '../trading/backtest/backtest-types.js';

export type { Statistics, Trade };

/** Uploaded CSV bodies; the JSON routes keep the edge's 64 KB limit. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** Bars one run may read (a 20 MB hourly file has about 330,000). */
export const MAX_BACKTEST_BARS = 1_000_000;
/** Grid size the API runs; bigger grids belong on the command line (`npm run optimize`). */
export const MAX_OPTIMIZATION_COMBINATIONS = 5_000;
export const MAX_GRID_AXES = 4;
/** Queued plus running jobs per tenant. */
export const MAX_ACTIVE_JOBS_PER_TENANT = 4;
/** Longer equity curves are bucketed to this many points (statistics always use every bar). */
export const MAX_EQUITY_POINTS = 100_000;
/** Trades kept per run (in order); `tradesTotal` says how many there were. */
export const MAX_STORED_TRADES = 10_000;
export const CANDLE_TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
export type CandleTimeframe = (typeof CANDLE_TIMEFRAMES)[number];

export type JobKind = 'backtest' | 'optimization';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';
export type JobPhase = 'queued' | 'loading' | 'running' | 'saving' | 'done';
export type GridValue = number | boolean | string;

export type SizingView =
  | { readonly mode: 'fraction'; readonly value: number }
  | { readonly mode: 'quantity'; readonly value: number }
  | { readonly mode: 'notional'; readonly value: number };

export interface BacktestSettingsView {
  readonly strategy: string;
  /** As sent (before defaults); `paramsResolved` on the job holds what ran. */
  readonly params: Readonly<Record<string, GridValue>>;
  readonly cash: number;
  readonly commission: { readonly rate: number; readonly fixed: number };
  readonly slippageBps: number;
  readonly sizing: SizingView;
  readonly lotStep: number;
  readonly shortAllowed: boolean;
}

export interface CandleSourceRequest {
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: CandleTimeframe;
  readonly fromMs: number;
  readonly toMs: number;
}

export type DataSourceView =
  | { readonly kind: 'csv'; readonly fileName: string; readonly bars: number; readonly firstMs: number; readonly lastMs: number }
  | ({ readonly kind: 'candles'; readonly bars: number | null } & CandleSourceRequest);

export interface JobProgressView {
  readonly phase: JobPhase;
  /** Backtests: 0 or 1. Optimizations: finished runs. */
  readonly done: number;
  readonly total: number;
}

export interface GridAxisView {
  readonly name: string;
  readonly values: readonly GridValue[];
}

export interface JobSummaryView {
  readonly id: string;
  readonly kind: JobKind;
  readonly name: string;
  readonly status: JobStatus;
  readonly settings: BacktestSettingsView;
  /** Params after defaults (null until validated by the run). */
  readonly paramsResolved: Readonly<Record<string, unknown>> | null;
  readonly source: DataSourceView;
  readonly progress: JobProgressView;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** A backtest's statistics; an optimization's best run's statistics. */
  readonly stats: Statistics | null;
  /** Optimizations only. */
  readonly grid: { readonly axes: readonly GridAxisView[]; readonly metric: keyof Statistics } | null;
  readonly createdAtMs: number;
  readonly startedAtMs: number | null;
  readonly finishedAtMs: number | null;
  readonly etag: string;
}

/** Columnar, one entry per point; a point is one bar, or the last bar of a bucket of `bucketBars`. */
export interface EquitySeriesView {
  readonly timeMs: readonly number[];
  readonly close: readonly number[];
  readonly equity: readonly number[];
  /** Percent below the running peak (≤ 0); a bucket keeps its deepest value so troughs survive. */
  readonly drawdownPct: readonly number[];
  readonly bars: number;
  readonly bucketBars: number;
}

export interface BacktestResultView {
  readonly stats: Statistics;
  readonly equity: EquitySeriesView;
  readonly trades: readonly Trade[];
  readonly tradesTotal: number;
  /** Positions still open at the end, valued at the last close (not trades, not in the statistics). */
  readonly openTrades: readonly Trade[];
  readonly rejectedOrders: number;
}

export interface BacktestDetailView extends JobSummaryView {
  readonly result: BacktestResultView | null;
}

export interface RankedRunView {
  /** 1 = best; runs whose metric is undefined come last. */
  readonly rank: number;
  /** Position in the expanded grid (first axis varying slowest). */
  readonly index: number;
  readonly values: Readonly<Record<string, GridValue>>;
  readonly stats: Statistics;
}

export interface OptimizationResultView {
  readonly combinations: number;
  readonly skipped: number;
  readonly failed: number;
  /** Up to 5 skipped combinations with the reason the strategy refused them. */
  readonly skippedExamples: readonly { readonly values: Readonly<Record<string, GridValue>>; readonly reason: string }[];
  readonly runs: readonly RankedRunView[];
}

export interface OptimizationDetailView extends JobSummaryView {
  readonly result: OptimizationResultView | null;
}

/** A JSON Schema object as GET /api/strategies returns it (the subset the site's form generator reads). */
export interface ParamJsonSchema {
  readonly type?: 'integer' | 'number' | 'boolean' | 'string';
  readonly title?: string;
  readonly description?: string;
  readonly default?: GridValue;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly enum?: readonly GridValue[];
}

export interface ParamsJsonSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, ParamJsonSchema>>;
  readonly additionalProperties: false;
}

export interface StrategyView {
  readonly id: string;
  readonly name: string;
  /** Markdown: rules and a param table. */
  readonly description: string;
  readonly paramsSchema: ParamsJsonSchema;
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Bars before the first decision with the default params. */
  readonly warmupBars: number;
}
