/**
 * Runs queued backtest and optimization jobs in the background of the Function App
 * (docs/adr/0004-background-backtests.md). A job is claimed with an ETag-guarded write that sets a
 * lease; the lease is renewed while the job runs, and a job whose worker died (lease expired) is
 * claimed again by the next sweep, up to `maxAttempts` times. Deleting a job while it runs makes the
 * next lease renewal find nothing: the run is cancelled and whatever it wrote is removed.
 *
 * Entry points: `kick` (right after a job is submitted, so it starts without waiting for the timer),
 * `sweep` (the timer: claim what is waiting, then wait until this process is idle, so the platform
 * sees an execution in progress while jobs run).
 */
import { appError, type AppError } from '../core/result.js';
import type { BacktestJobsRepository } from '../adapters/cosmos/backtest-jobs-repository.js';
import type { JobProgressView, RankedRunView } from '../schemas/backtest-views.js';
import { MAX_BACKTEST_BARS } from '../schemas/backtest-views.js';
import type { BacktestConfig } from '../trading/backtest/backtest-types.js';
import { isOptimizeMetric } from '../trading/optimize/optimize-metric.js';
import { planGrid } from '../trading/optimize/optimize-plan.js';
import { rankByMetric, type RunOutcome } from '../trading/optimize/rank-results.js';
import { getStrategy, parseStrategyParams } from '../trading/strategies/registry.js';
import type { BarSeries } from '../trading/types.js';
import type { BacktestOutput } from './backtest-output.js';
import type { JobRecord, JobResultMeta } from './backtest-job-record.js';
import type { CandleSource } from './candle-source.js';
import { JobAbortedError, type JobExecutor } from './job-executor.js';
import { inputPartsToSeries } from './series-parts.js';

export interface RunnerLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RunnerOptions {
  /** How long a claim holds without renewal; a dead worker's job is taken over after this. */
  readonly leaseMs: number;
  readonly renewEveryMs: number;
  /** Jobs running at once in this process. */
  readonly concurrency: number;
  readonly maxAttempts: number;
  /** Least time between two progress writes of an optimization. */
  readonly progressEveryMs: number;
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = { leaseMs: 60_000, renewEveryMs: 10_000, concurrency: 2, maxAttempts: 3, progressEveryMs: 1_000 };

export interface RunnerDeps {
  readonly jobs: BacktestJobsRepository;
  readonly candles: CandleSource;
  readonly executor: JobExecutor;
  readonly log: RunnerLog;
  nowMs(): number;
}

export const EQUITY_POINTS_PER_PART = 10_000;
export const TRADES_PER_PART = 2_000;
export const RUNS_PER_PART = 500;

const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
};

const configOf = (r: JobRecord): BacktestConfig => ({
  cash: r.settings.cash,
  commission: r.settings.commission,
  slippageBps: r.settings.slippageBps,
  sizing: r.settings.sizing,
  lotStep: r.settings.lotStep,
  shortAllowed: r.settings.shortAllowed,
});

class JobFailure extends Error {
  constructor(readonly failure: AppError) {
    super(failure.message);
  }
}

/** The claimed job: one write at a time, each based on the last ETag this worker saw. */
class JobHandle {
  private chain: Promise<void> = Promise.resolve();
  /** Deleted by its owner while running. */
  deleted = false;
  /** Another worker took it over (our lease had expired). */
  lost = false;

  constructor(
    private readonly deps: RunnerDeps,
    public record: JobRecord,
    private etag: string,
    private readonly options: RunnerOptions,
    readonly abort: AbortController,
  ) {}

  update(mutate: (r: JobRecord) => JobRecord): Promise<void> {
    const next = this.chain.then(async () => {
      if (this.deleted || this.lost) return;
      const now = this.deps.nowMs();
      const wanted = { ...mutate(this.record), updatedAtMs: now };
      const replaced = await this.deps.jobs.replace(wanted.tenantId, wanted, this.etag);
      if (replaced.ok) {
        this.record = replaced.value.record;
        this.etag = replaced.value.etag;
        return;
      }
      if (replaced.error.code === 'NOT_FOUND') this.deleted = true;
      else this.lost = true;
      this.abort.abort();
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  renewLease(): Promise<void> {
    return this.update((r) => ({ ...r, leaseUntilMs: this.deps.nowMs() + this.options.leaseMs }));
  }

  progress(progress: JobProgressView): Promise<void> {
    return this.update((r) => ({ ...r, progress, leaseUntilMs: this.deps.nowMs() + this.options.leaseMs }));
  }

  get gone(): boolean {
    return this.deleted || this.lost;
  }
}

export class BacktestRunner {
  private readonly active = new Map<string, Promise<void>>();
  private readonly options: RunnerOptions;

  constructor(
    private readonly deps: RunnerDeps,
    options: Partial<RunnerOptions> = {},
  ) {
    this.options = { ...DEFAULT_RUNNER_OPTIONS, ...options };
  }

  /** Starts this job now if the process has room; otherwise the next sweep picks it up. */
  kick(tenantId: string, jobId: string): void {
    if (this.active.size < this.options.concurrency) this.start(tenantId, jobId);
  }

  /** Claims waiting jobs up to the concurrency, then waits until every job of this process is done. */
  async sweep(): Promise<void> {
    await this.fill();
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active.values()]);
  }

  get running(): number {
    return this.active.size;
  }

  private async fill(): Promise<void> {
    const free = this.options.concurrency - this.active.size;
    if (free <= 0) return;
    const candidates = await this.deps.jobs.findClaimable(this.deps.nowMs(), free + this.active.size);
    for (const c of candidates) {
      if (this.active.size >= this.options.concurrency) break;
      this.start(c.tenantId, c.jobId);
    }
  }

  private start(tenantId: string, jobId: string): void {
    const key = `${tenantId}:${jobId}`;
    if (this.active.has(key)) return;
    const run = this.runJob(tenantId, jobId)
      .catch((e: unknown) => this.deps.log.error(`backtest job ${jobId}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`))
      .finally(() => {
        this.active.delete(key);
        // Pull the next waiting job, so a queue drains without waiting for the timer.
        this.fill().catch((e: unknown) => this.deps.log.warn(`backtest runner: looking for queued jobs failed: ${e instanceof Error ? e.message : String(e)}`));
      });
    this.active.set(key, run);
  }

  private async claim(tenantId: string, jobId: string): Promise<JobHandle | undefined> {
    const found = await this.deps.jobs.get(tenantId, jobId);
    if (!found.ok) return undefined;
    const { record, etag } = found.value;
    const now = this.deps.nowMs();
    const claimable = record.status === 'queued' || (record.status === 'running' && (record.leaseUntilMs ?? 0) < now);
    if (!claimable) return undefined;
    if (record.attempts >= this.options.maxAttempts) {
      const failed = this.failedRecord(record, appError('BACKTEST.INTERRUPTED', `The run was interrupted ${record.attempts} times (its worker stopped). Run it again.`), now);
      await this.deps.jobs.replace(tenantId, failed, etag);
      await this.deps.jobs.deleteParts(tenantId, jobId, 'input');
      return undefined;
    }
    const claimed = await this.deps.jobs.replace(
      tenantId,
      {
        ...record,
        status: 'running',
        attempts: record.attempts + 1,
        leaseUntilMs: now + this.options.leaseMs,
        startedAtMs: record.startedAtMs ?? now,
        progress: { phase: 'loading', done: 0, total: record.progress.total },
        updatedAtMs: now,
      },
      etag,
    );
    if (!claimed.ok) return undefined;
    if (record.attempts > 0) this.deps.log.warn(`backtest job ${jobId} resumed (attempt ${record.attempts + 1})`);
    return new JobHandle(this.deps, claimed.value.record, claimed.value.etag, this.options, new AbortController());
  }

  private async runJob(tenantId: string, jobId: string): Promise<void> {
    const handle = await this.claim(tenantId, jobId);
    if (!handle) return;
    const renew = setInterval(() => void handle.renewLease().catch(() => undefined), this.options.renewEveryMs);
    const startedMs = this.deps.nowMs();
    try {
      const series = await this.loadSeries(handle.record);
      if (handle.gone) throw new JobAbortedError();
      if (handle.record.kind === 'backtest') await this.runBacktest(handle, series);
      else await this.runOptimization(handle, series);
      this.deps.log.info(`backtest job ${jobId} (${handle.record.kind}) succeeded in ${this.deps.nowMs() - startedMs} ms`);
    } catch (e) {
      if (handle.gone || e instanceof JobAbortedError) {
        if (handle.deleted) {
          await this.deps.jobs.deleteParts(tenantId, jobId);
          this.deps.log.info(`backtest job ${jobId} was deleted while running; its parts are removed`);
        } else {
          this.deps.log.warn(`backtest job ${jobId}: another worker took it over`);
        }
        return;
      }
      const failure = e instanceof JobFailure ? e.failure : appError('BACKTEST.FAILED', 'The run failed unexpectedly. It has been logged; try again.');
      if (!(e instanceof JobFailure)) this.deps.log.error(`backtest job ${jobId} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      await handle.update((r) => this.failedRecord(r, failure, this.deps.nowMs()));
      if (!handle.gone) await this.deps.jobs.deleteParts(tenantId, jobId, 'input');
      else if (handle.deleted) await this.deps.jobs.deleteParts(tenantId, jobId);
    } finally {
      clearInterval(renew);
    }
  }

  private failedRecord(r: JobRecord, failure: AppError, now: number): JobRecord {
    return { ...r, status: 'failed', error: { code: failure.code, message: failure.message }, finishedAtMs: now, leaseUntilMs: null, updatedAtMs: now, progress: { ...r.progress, phase: 'done' } };
  }

  private async loadSeries(r: JobRecord): Promise<BarSeries> {
    if (r.source.kind === 'csv') {
      const parts = await this.deps.jobs.readParts<unknown>(r.tenantId, r.jobId, 'input');
      if (parts.length !== r.inputParts) throw new JobFailure(appError('BACKTEST.INPUT_MISSING', 'The uploaded data of this run is no longer stored. Upload it again.'));
      return inputPartsToSeries(parts.map((p) => p.data));
    }
    const loaded = await this.deps.candles.load(r.source, MAX_BACKTEST_BARS);
    if (!loaded.ok) throw new JobFailure(loaded.error);
    return loaded.value;
  }

  private async runBacktest(handle: JobHandle, series: BarSeries): Promise<void> {
    const r = handle.record;
    const strategy = getStrategy(r.settings.strategy);
    if (!strategy.ok) throw new JobFailure(strategy.error);
    const parsed = parseStrategyParams(strategy.value, r.settings.params);
    if (!parsed.ok) throw new JobFailure(parsed.error);
    const params = parsed.value as Record<string, unknown>;
    await handle.progress({ phase: 'running', done: 0, total: 1 });
    const output = await this.deps.executor.backtest({ series, strategyId: r.settings.strategy, params, config: configOf(r) }, handle.abort.signal);
    if (handle.gone) throw new JobAbortedError();
    await handle.progress({ phase: 'saving', done: 1, total: 1 });
    const meta = await this.saveBacktest(r, output);
    await this.finish(handle, (rec) => ({ ...rec, stats: output.stats, paramsResolved: params, result: meta, source: rec.source.kind === 'candles' ? { ...rec.source, bars: series.length } : rec.source }));
  }

  private async saveBacktest(r: JobRecord, output: BacktestOutput): Promise<JobResultMeta> {
    const e = output.equity;
    const equityParts = chunk(e.timeMs, EQUITY_POINTS_PER_PART).map((timeMs, i) => {
      const from = i * EQUITY_POINTS_PER_PART;
      const to = from + timeMs.length;
      return { timeMs, close: e.close.slice(from, to), equity: e.equity.slice(from, to), drawdownPct: e.drawdownPct.slice(from, to) };
    });
    const tradeParts = chunk(output.trades, TRADES_PER_PART);
    await this.deps.jobs.writeParts(r.tenantId, r.jobId, 'equity', equityParts);
    await this.deps.jobs.writeParts(r.tenantId, r.jobId, 'trades', tradeParts);
    return {
      parts: equityParts.length + tradeParts.length,
      bars: e.bars,
      bucketBars: e.bucketBars,
      tradesTotal: output.tradesTotal,
      rejectedOrders: output.rejectedOrders,
      openTrades: output.openTrades.map((t) => ({ ...t })),
    };
  }

  private async runOptimization(handle: JobHandle, series: BarSeries): Promise<void> {
    const r = handle.record;
    const strategy = getStrategy(r.settings.strategy);
    if (!strategy.ok) throw new JobFailure(strategy.error);
    const grid = r.grid;
    if (!grid || !isOptimizeMetric(grid.metric)) throw new JobFailure(appError('BACKTEST.FAILED', 'The optimization has no valid grid.'));
    const metric = grid.metric;
    const plan = planGrid<Record<string, unknown>>(grid.axes, r.settings.params, (raw) => parseStrategyParams(strategy.value, raw));
    if (plan.runs.length === 0) throw new JobFailure(appError('VALIDATION.FAILED', `No combination of the grid is valid, e.g. ${plan.skipped[0]?.reason ?? ''}`));
    await handle.progress({ phase: 'running', done: 0, total: plan.runs.length });
    let lastWriteMs = this.deps.nowMs();
    const results = await this.deps.executor.optimize(
      { series, strategyId: r.settings.strategy, config: configOf(r), runs: plan.runs.map((run) => ({ id: run.index, params: run.params })) },
      (done, total) => {
        const now = this.deps.nowMs();
        if (now - lastWriteMs < this.options.progressEveryMs && done < total) return;
        lastWriteMs = now;
        void handle.progress({ phase: 'running', done, total }).catch(() => undefined);
      },
      handle.abort.signal,
    );
    if (handle.gone) throw new JobAbortedError();
    await handle.progress({ phase: 'saving', done: plan.runs.length, total: plan.runs.length });
    const byIndex = new Map(plan.runs.map((run) => [run.index, run]));
    const outcomes: RunOutcome[] = [];
    let failed = 0;
    for (const result of results) {
      if ('stats' in result) outcomes.push({ index: result.id, params: byIndex.get(result.id)?.params ?? {}, stats: result.stats });
      else failed++;
    }
    const ranked: RankedRunView[] = rankByMetric(outcomes, metric).map((o, i) => ({ rank: i + 1, index: o.index, values: byIndex.get(o.index)?.gridValues ?? {}, stats: o.stats }));
    const runParts = chunk(ranked, RUNS_PER_PART);
    await this.deps.jobs.writeParts(r.tenantId, r.jobId, 'runs', runParts);
    const best = rankByMetric(outcomes, metric)[0];
    const meta: JobResultMeta = {
      parts: runParts.length,
      combinations: plan.combinations,
      skipped: plan.skipped.length,
      failed,
      skippedExamples: plan.skipped.slice(0, 5).map((s) => ({ values: s.gridValues, reason: s.reason })),
    };
    await this.finish(handle, (rec) => ({
      ...rec,
      stats: best?.stats ?? null,
      paramsResolved: best?.params ?? null,
      result: meta,
      source: rec.source.kind === 'candles' ? { ...rec.source, bars: series.length } : rec.source,
    }));
  }

  private async finish(handle: JobHandle, mutate: (r: JobRecord) => JobRecord): Promise<void> {
    await handle.update((r) => {
      const now = this.deps.nowMs();
      return { ...mutate(r), status: 'succeeded', error: null, finishedAtMs: now, leaseUntilMs: null, progress: { phase: 'done', done: r.progress.total, total: r.progress.total } };
    });
    if (handle.gone) throw new JobAbortedError();
    await this.deps.jobs.deleteParts(handle.record.tenantId, handle.record.jobId, 'input');
  }
}
