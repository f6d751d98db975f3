/**
 * The background runner against the embedded Cosmos emulator, with the in-process executor (or a
 * controllable fake): runs, takeover of a job whose worker died, giving up after the attempts,
 * cancellation by deletion, failures, and the per-tenant limit of submissions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BacktestJobsRepository } from '../../../../shared/adapters/cosmos/backtest-jobs-repository';
import { ensureCosmosSchema } from '../../../../shared/adapters/cosmos/ensure-cosmos-schema';
import type { JobRecord } from '../../../../shared/backtests/backtest-job-record';
import { BacktestRunner, type RunnerLog } from '../../../../shared/backtests/backtest-runner';
import { unavailableCandleSource } from '../../../../shared/backtests/candle-source';
import { inlineJobExecutor, JobAbortedError, type JobExecutor } from '../../../../shared/backtests/job-executor';
import { submitJob } from '../../../../shared/backtests/job-submission';
import { backtestDetail, optimizationDetail } from '../../../../shared/backtests/job-views';
import { backtestSettingsSchema, optimizationSettingsSchema } from '../../../../shared/schemas/backtest-schemas';
import { parseOhlcvCsv } from '../../../../shared/trading/csv/ohlcv-csv-parser';
import type { BarSeries } from '../../../../shared/trading/types';
import { startCosmosKit, type CosmosKit } from '../adapters/cosmos/cosmos-test-kit';

const TENANT = 'a'.repeat(32);
const GOOG = parseOhlcvCsv(readFileSync(join(__dirname, '..', '..', '..', '..', '..', 'shared', 'data', 'GOOG.csv'), 'utf8'), 'GOOG.csv');

function goog(): BarSeries {
  if (!GOOG.ok) throw new Error('fixture');
  return GOOG.value;
}

const quietLog = (): RunnerLog & { lines: string[] } => {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
};

describe('BacktestRunner', () => {
  let kit: CosmosKit;
  let jobs: BacktestJobsRepository;
  const clock = 1_800_000_000_000;
  const nowMs = (): number => clock;

  beforeAll(async () => {
    kit = await startCosmosKit();
    const schema = await ensureCosmosSchema(kit.client, 'runner-tests');
    jobs = new BacktestJobsRepository(schema.containers.backtests);
  });
  afterAll(() => kit.stop());

  /** Queues a job the way POST does, without starting it (the runner of `services` is a parked one). */
  async function queue(kind: 'backtest' | 'optimization', settings: unknown): Promise<string> {
    const parked = new BacktestRunner({ jobs, candles: unavailableCandleSource, executor: inlineJobExecutor, log: quietLog(), nowMs }, { concurrency: 0 });
    const request =
      kind === 'backtest'
        ? { kind, settings: backtestSettingsSchema.parse(settings), data: { kind: 'csv' as const, fileName: 'GOOG.csv', series: goog() } }
        : { kind, settings: optimizationSettingsSchema.parse(settings), data: { kind: 'csv' as const, fileName: 'GOOG.csv', series: goog() } };
    const reply = await submitJob({ jobs, candles: unavailableCandleSource, runner: parked }, TENANT, clock, request);
    if (!reply.ok) throw new Error(reply.error.message);
    return (reply.value.body as { id: string }).id;
  }

  async function record(id: string): Promise<JobRecord> {
    const found = await jobs.get(TENANT, id);
    if (!found.ok) throw new Error('job missing');
    return found.value.record;
  }

  it('runs a queued backtest, stores its results and removes the uploaded input', async () => {
    const id = await queue('backtest', { strategy: 'sma-cross' });
    const runner = new BacktestRunner({ jobs, candles: unavailableCandleSource, executor: inlineJobExecutor, log: quietLog(), nowMs });
    await runner.sweep();
    const job = await jobs.get(TENANT, id);
    if (!job.ok) throw new Error('job missing');
    expect(job.value.record).toMatchObject({ status: 'succeeded', attempts: 1, leaseUntilMs: null, progress: { phase: 'done', done: 1, total: 1 }, paramsResolved: { fast: 10, slow: 30, allowShort: false } });
    const detail = await backtestDetail(jobs, job.value);
    expect(detail.result?.equity.timeMs).toHaveLength(2148);
    expect(detail.result?.stats.trades).toBe(detail.result?.tradesTotal);
    expect(await jobs.readParts(TENANT, id, 'input')).toEqual([]);
  });

  it('takes over a running job whose lease expired (its worker died) and counts the attempt', async () => {
    const id = await queue('backtest', { strategy: 'ema-cross' });
    const found = await jobs.get(TENANT, id);
    if (!found.ok) throw new Error('job missing');
    await jobs.replace(TENANT, { ...found.value.record, status: 'running', attempts: 1, leaseUntilMs: clock - 1, startedAtMs: clock - 120_000 }, found.value.etag);
    const log = quietLog();
    await new BacktestRunner({ jobs, candles: unavailableCandleSource, executor: inlineJobExecutor, log, nowMs }).sweep();
    expect(await record(id)).toMatchObject({ status: 'succeeded', attempts: 2, startedAtMs: clock - 120_000 });
    expect(log.lines.some((l) => l.includes(`${id} resumed (attempt 2)`))).toBe(true);
  });

  it('leaves a running job alone while its lease holds', async () => {
    const id = await queue('backtest', { strategy: 'ema-cross' });
    const found = await jobs.get(TENANT, id);
    if (!found.ok) throw new Error('job missing');
    await jobs.replace(TENANT, { ...found.value.record, status: 'running', attempts: 1, leaseUntilMs: clock + 60_000 }, found.value.etag);
    await new BacktestRunner({ jobs, candles: unavailableCandleSource, executor: inlineJobExecutor, log: quietLog(), nowMs }).sweep();
    expect(await record(id)).toMatchObject({ status: 'running', attempts: 1 });
    // Clean up so later sweeps do not pick it up once the fake clock moves on.
    await jobs.delete(TENANT, id, 'backtest');
  });

  it('gives up on a job interrupted as often as the attempts allow', async () => {
    const id = await queue('backtest', { strategy: 'sma-cross' });
    const found = await jobs.get(TENANT, id);
    if (!found.ok) throw new Error('job missing');
    await jobs.replace(TENANT, { ...found.value.record, status: 'running', attempts: 3, leaseUntilMs: clock - 1 }, found.value.etag);
    await new BacktestRunner({ jobs, candles: unavailableCandleSource, executor: inlineJobExecutor, log: quietLog(), nowMs }, { maxAttempts: 3 }).sweep();
    expect(await record(id)).toMatchObject({ status: 'failed', error: { code: 'BACKTEST.INTERRUPTED' }, leaseUntilMs: null });
    expect(await jobs.readParts(TENANT, id, 'input')).toEqual([]);
  });

  it('marks a job failed with a generic message when the run throws, and logs the real error', async () => {
    const id = await queue('backtest', { strategy: 'sma-cross' });
    const broken: JobExecutor = { ...inlineJobExecutor, backtest: () => Promise.reject(new Error('disk on fire')) };
    const log = quietLog();
    await new BacktestRunner({ jobs, candles: unavailableCandleSource, executor: broken, log, nowMs }).sweep();
    expect(await record(id)).toMatchObject({ status: 'failed', error: { code: 'BACKTEST.FAILED', message: 'The run failed unexpectedly. It has been logged; try again.' } });
    expect(log.lines.some((l) => l.includes('disk on fire'))).toBe(true);
  });

  it('cancels a running optimization that is deleted and removes everything it wrote', async () => {
    const id = await queue('optimization', { strategy: 'sma-cross', grid: [{ name: 'fast', values: [5, 10] }] });
    let release = (): void => undefined;
    let started = (): void => undefined;
    const startedP = new Promise<void>((r) => (started = r));
    // An optimization that waits until told, then honours the abort signal like the real executors.
    const slow: JobExecutor = {
      ...inlineJobExecutor,
      optimize: (_task, _progress, signal) =>
        new Promise((_, reject) => {
          started();
          release = () => reject(new JobAbortedError());
          signal.addEventListener('abort', () => reject(new JobAbortedError()));
        }),
    };
    const log = quietLog();
    const runner = new BacktestRunner({ jobs, candles: unavailableCandleSource, executor: slow, log, nowMs }, { renewEveryMs: 20 });
    const sweep = runner.sweep();
    await startedP;
    expect((await jobs.delete(TENANT, id, 'optimization')).ok).toBe(true);
    // The next lease renewal finds the job gone and aborts the run.
    await sweep.finally(() => release());
    expect((await jobs.get(TENANT, id)).ok).toBe(false);
    expect(await jobs.readParts(TENANT, id, 'input')).toEqual([]);
    expect(log.lines.some((l) => l.includes(`${id} was deleted while running`))).toBe(true);
  });

  it('ranks an optimization by its metric and reports progress up to the number of valid runs', async () => {
    const id = await queue('optimization', { strategy: 'sma-cross', grid: [{ name: 'fast', values: [5, 10, 40] }, { name: 'slow', values: [20, 30] }], metric: 'returnPct' });
    await new BacktestRunner({ jobs, candles: unavailableCandleSource, executor: inlineJobExecutor, log: quietLog(), nowMs }).sweep();
    const job = await jobs.get(TENANT, id);
    if (!job.ok) throw new Error('job missing');
    const detail = await optimizationDetail(jobs, job.value);
    expect(detail.progress).toEqual({ phase: 'done', done: 4, total: 4 });
    expect(detail.result?.skipped).toBe(2);
    const returns = detail.result!.runs.map((r) => r.stats.returnPct);
    expect(returns).toEqual([...returns].sort((a, b) => b - a));
    expect(detail.stats).toEqual(detail.result!.runs[0]!.stats);
  });

  it('refuses a new job while the tenant already has the most active ones', async () => {
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await queue('backtest', { strategy: 'sma-cross' }));
    const parked = new BacktestRunner({ jobs, candles: unavailableCandleSource, executor: inlineJobExecutor, log: quietLog(), nowMs }, { concurrency: 0 });
    const reply = await submitJob({ jobs, candles: unavailableCandleSource, runner: parked }, TENANT, clock, {
      kind: 'backtest',
      settings: backtestSettingsSchema.parse({ strategy: 'sma-cross' }),
      data: { kind: 'csv', fileName: 'GOOG.csv', series: goog() },
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reason: 'too-many-active-jobs', limit: 4 } } });
    for (const id of ids) await jobs.delete(TENANT, id, 'backtest');
  });
});
