/** Detail answers of GET /api/backtests/{id} and GET /api/optimizations/{id}: the job plus its result parts. */
import { z } from 'zod';
import type { BacktestJobsRepository } from '../adapters/cosmos/backtest-jobs-repository.js';
import type { Stored } from '../adapters/cosmos/tenant-scoped.js';
import type { BacktestDetailView, EquitySeriesView, OptimizationDetailView, RankedRunView, Trade } from '../schemas/backtest-views.js';
import { downsampleSeries } from './backtest-output.js';
import { toJobSummaryView, type JobRecord } from './backtest-job-record.js';

const column = z.array(z.number());
const equityPartSchema = z.object({ timeMs: column, close: column, equity: column, drawdownPct: column });
const tradesPartSchema = z.array(z.record(z.string(), z.unknown()));
const runsPartSchema = z.array(z.object({ rank: z.number(), index: z.number(), values: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])), stats: z.record(z.string(), z.unknown()) }));

export async function backtestDetail(jobs: BacktestJobsRepository, job: Stored<JobRecord>, maxPoints?: number): Promise<BacktestDetailView> {
  const r = job.record;
  const summary = toJobSummaryView(r, job.etag);
  if (r.status !== 'succeeded' || !r.result || !r.stats) return { ...summary, result: null };
  const [equityParts, tradeParts] = await Promise.all([jobs.readParts<unknown>(r.tenantId, r.jobId, 'equity'), jobs.readParts<unknown>(r.tenantId, r.jobId, 'trades')]);
  const series = { timeMs: [] as number[], close: [] as number[], equity: [] as number[], drawdownPct: [] as number[] };
  for (const part of equityParts) {
    const p = equityPartSchema.parse(part.data);
    series.timeMs.push(...p.timeMs);
    series.close.push(...p.close);
    series.equity.push(...p.equity);
    series.drawdownPct.push(...p.drawdownPct);
  }
  let equity: EquitySeriesView = { ...series, bars: r.result.bars ?? series.timeMs.length, bucketBars: r.result.bucketBars ?? 1 };
  if (maxPoints !== undefined) equity = downsampleSeries(equity, maxPoints);
  const trades = tradeParts.flatMap((part) => tradesPartSchema.parse(part.data)) as unknown as Trade[];
  return {
    ...summary,
    result: {
      stats: r.stats,
      equity,
      trades,
      tradesTotal: r.result.tradesTotal ?? trades.length,
      openTrades: (r.result.openTrades ?? []) as unknown as Trade[],
      rejectedOrders: r.result.rejectedOrders ?? 0,
    },
  };
}

export async function optimizationDetail(jobs: BacktestJobsRepository, job: Stored<JobRecord>): Promise<OptimizationDetailView> {
  const r = job.record;
  const summary = toJobSummaryView(r, job.etag);
  if (r.status !== 'succeeded' || !r.result) return { ...summary, result: null };
  const parts = await jobs.readParts<unknown>(r.tenantId, r.jobId, 'runs');
  const runs = parts.flatMap((part) => runsPartSchema.parse(part.data)) as unknown as RankedRunView[];
  return {
    ...summary,
    result: {
      combinations: r.result.combinations ?? runs.length,
      skipped: r.result.skipped ?? 0,
      failed: r.result.failed ?? 0,
      skippedExamples: r.result.skippedExamples ?? [],
      runs,
    },
  };
}
