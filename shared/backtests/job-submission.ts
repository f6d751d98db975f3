/**
 * Accepting a backtest or optimization: limits, a last check of the data source, the job document
 * (with uploaded bars as its input parts), then a kick to the runner. The answer is 202 with the
 * queued job; the run itself happens in the background (backtest-runner.ts).
 */
import { randomUUID } from 'node:crypto';
import { appError, err, ok, type Result } from '../core/result.js';
import type { ApiReply } from '../http/api-handler.js';
import { expandAxis, settingsView, type BacktestSettings, type OptimizationSettings } from '../schemas/backtest-schemas.js';
import { MAX_ACTIVE_JOBS_PER_TENANT, type CandleSourceRequest, type GridAxisView, type JobKind } from '../schemas/backtest-views.js';
import { planGrid } from '../trading/optimize/optimize-plan.js';
import { getStrategy, parseStrategyParams } from '../trading/strategies/registry.js';
import type { BarSeries } from '../trading/types.js';
import { toJobSummaryView, type JobRecord } from './backtest-job-record.js';
import type { BacktestServices } from './backtest-services.js';
import { seriesToInputParts } from './series-parts.js';

export type JobData = { readonly kind: 'csv'; readonly fileName: string; readonly series: BarSeries } | { readonly kind: 'candles'; readonly source: CandleSourceRequest };

export type JobSpec = { readonly kind: 'backtest'; readonly settings: BacktestSettings } | { readonly kind: 'optimization'; readonly settings: OptimizationSettings };
export type JobRequest = JobSpec & { readonly data: JobData };

const routeOf = (kind: JobKind): string => (kind === 'backtest' ? 'backtests' : 'optimizations');

function defaultName(request: JobRequest): string {
  const on = request.data.kind === 'csv' ? request.data.fileName : `${request.data.source.symbol} ${request.data.source.timeframe}`;
  return `${request.settings.strategy}${request.kind === 'optimization' ? ' grid' : ''} on ${on}`.slice(0, 100);
}

/** Expands the grid and checks at least one combination passes the strategy's schema. */
function planOf(settings: OptimizationSettings): Result<{ axes: GridAxisView[]; runs: number }> {
  const strategy = getStrategy(settings.strategy);
  if (!strategy.ok) return strategy;
  const axes = settings.grid.map(expandAxis);
  const plan = planGrid(axes, settings.params, (raw) => parseStrategyParams(strategy.value, raw));
  if (plan.runs.length === 0) {
    const message = `no combination of the grid is valid for ${settings.strategy}, e.g. ${plan.skipped[0]?.reason ?? 'none'}`;
    return err(appError('VALIDATION.FAILED', `The request is invalid: grid: ${message}.`, [{ path: 'grid', message }]));
  }
  return ok({ axes, runs: plan.runs.length });
}

export async function submitJob(services: BacktestServices, tenantId: string, nowMs: number, request: JobRequest): Promise<Result<ApiReply>> {
  const active = await services.jobs.countActive(tenantId);
  if (active >= MAX_ACTIVE_JOBS_PER_TENANT) {
    return err(appError('CONFLICT', `${active} runs are already queued or running; wait for one to finish (at most ${MAX_ACTIVE_JOBS_PER_TENANT}).`, { reason: 'too-many-active-jobs', limit: MAX_ACTIVE_JOBS_PER_TENANT }));
  }
  let grid: JobRecord['grid'] = null;
  let total = 1;
  if (request.kind === 'optimization') {
    const plan = planOf(request.settings);
    if (!plan.ok) return plan;
    grid = { axes: plan.value.axes.map((a) => ({ name: a.name, values: [...a.values] })), metric: request.settings.metric };
    total = plan.value.runs;
  }
  if (request.data.kind === 'candles') {
    const available = await services.candles.check(request.data.source);
    if (!available.ok) return available;
  }
  const jobId = randomUUID().replace(/-/g, '');
  const data = request.data;
  const inputParts = data.kind === 'csv' ? seriesToInputParts(data.series) : [];
  const record: JobRecord = {
    id: jobId,
    tenantId,
    jobId,
    type: 'job',
    kind: request.kind,
    name: request.settings.name ?? defaultName(request),
    status: 'queued',
    settings: settingsView(request.settings),
    paramsResolved: null,
    source:
      data.kind === 'csv'
        ? { kind: 'csv', fileName: data.fileName, bars: data.series.length, firstMs: data.series.timeMs[0]!, lastMs: data.series.timeMs[data.series.length - 1]! }
        : { kind: 'candles', ...data.source, bars: null },
    grid,
    progress: { phase: 'queued', done: 0, total },
    error: null,
    stats: null,
    inputParts: inputParts.length,
    result: null,
    attempts: 0,
    leaseUntilMs: null,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    startedAtMs: null,
    finishedAtMs: null,
  };
  const created = await services.jobs.create(tenantId, record, inputParts);
  services.runner.kick(tenantId, jobId);
  const view = toJobSummaryView(created.record, created.etag);
  return ok({ status: 202, body: view, headers: { etag: view.etag, location: `/api/${routeOf(request.kind)}/${jobId}` } });
}
