/**
 * The stored form of a backtest or optimization job, and its API view. One job document per run in
 * the `backtests` container (partition [tenantId, jobId]), next to its part documents (input bars,
 * equity, trades, optimizer runs) in the same logical partition.
 */
import { z } from 'zod';
import type { JobSummaryView, Statistics } from '../schemas/backtest-views.js';
import { CANDLE_TIMEFRAMES } from '../schemas/backtest-views.js';

const gridValue = z.union([z.number(), z.boolean(), z.string()]);
const statsSchema = z.record(z.string(), z.number().nullable()) as unknown as z.ZodType<Statistics>;

export const storedSettingsSchema = z.object({
  strategy: z.string(),
  params: z.record(z.string(), gridValue),
  cash: z.number(),
  commission: z.object({ rate: z.number(), fixed: z.number() }),
  slippageBps: z.number(),
  sizing: z.object({ mode: z.enum(['fraction', 'quantity', 'notional']), value: z.number() }),
  lotStep: z.number(),
  shortAllowed: z.boolean(),
});

const sourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('csv'), fileName: z.string(), bars: z.number(), firstMs: z.number(), lastMs: z.number() }),
  z.object({
    kind: z.literal('candles'),
    exchange: z.string(),
    symbol: z.string(),
    timeframe: z.enum(CANDLE_TIMEFRAMES),
    fromMs: z.number(),
    toMs: z.number(),
    bars: z.number().nullable(),
  }),
]);

/** Where the result parts are and what the view needs to reassemble them. */
const resultMetaSchema = z.object({
  parts: z.number().int().min(0),
  /** Backtests. */
  bars: z.number().optional(),
  bucketBars: z.number().optional(),
  tradesTotal: z.number().optional(),
  rejectedOrders: z.number().optional(),
  openTrades: z.array(z.record(z.string(), z.unknown())).optional(),
  /** Optimizations. */
  combinations: z.number().optional(),
  skipped: z.number().optional(),
  failed: z.number().optional(),
  skippedExamples: z.array(z.object({ values: z.record(z.string(), gridValue), reason: z.string() })).optional(),
});

export const jobRecordSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  jobId: z.string(),
  type: z.literal('job'),
  kind: z.enum(['backtest', 'optimization']),
  name: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  settings: storedSettingsSchema,
  paramsResolved: z.record(z.string(), z.unknown()).nullable(),
  source: sourceSchema,
  grid: z.object({ axes: z.array(z.object({ name: z.string(), values: z.array(gridValue) })), metric: z.string() }).nullable(),
  progress: z.object({ phase: z.enum(['queued', 'loading', 'running', 'saving', 'done']), done: z.number(), total: z.number() }),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  stats: statsSchema.nullable(),
  /** Input part documents (uploaded CSV bars); 0 for candle sources. */
  inputParts: z.number().int().min(0),
  result: resultMetaSchema.nullable(),
  attempts: z.number().int().min(0),
  leaseUntilMs: z.number().nullable(),
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
  startedAtMs: z.number().nullable(),
  finishedAtMs: z.number().nullable(),
});

export type JobRecord = z.infer<typeof jobRecordSchema>;
export type JobResultMeta = z.infer<typeof resultMetaSchema>;

export function toJobSummaryView(record: JobRecord, etag: string): JobSummaryView {
  return {
    id: record.id,
    kind: record.kind,
    name: record.name,
    status: record.status,
    settings: record.settings,
    paramsResolved: record.paramsResolved,
    source: record.source,
    progress: record.progress,
    error: record.error,
    stats: record.stats,
    grid: record.grid ? { axes: record.grid.axes, metric: record.grid.metric as keyof Statistics } : null,
    createdAtMs: record.createdAtMs,
    startedAtMs: record.startedAtMs,
    finishedAtMs: record.finishedAtMs,
    etag,
  };
}
