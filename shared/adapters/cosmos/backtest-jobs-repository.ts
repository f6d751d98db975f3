/**
 * Backtest and optimization jobs of one tenant, in the `backtests` container with partition key
 * [tenantId, jobId]: the job document (`id` = jobId) and its part documents (input bars, equity,
 * trades, optimizer runs; each under Cosmos' 2 MB item limit) share one logical partition, so a
 * job's parts are read and deleted with single-partition queries and a job of another tenant is
 * simply not found. Tenant lists query the tenant prefix [tenantId].
 *
 * The one read that is not per tenant is `findClaimable`, used by the background runner (never by
 * an API route) to find queued work across tenants; it returns only ids, and the runner then works
 * on each job through the tenant-scoped methods. See docs/adr/0004-background-backtests.md.
 */
import type { Container, ItemDefinition } from '@azure/cosmos';
import { ok, type Result } from '../../core/result.js';
import { jobRecordSchema, type JobRecord } from '../../backtests/backtest-job-record.js';
import type { JobKind } from '../../schemas/backtest-views.js';
import { cosmosStatus } from './cosmos-errors.js';
import { notFound, queryTenantPage, requireTenantId, staleEtag, stored, type PageRequest, type Stored, type StoredPage } from './tenant-scoped.js';

export type JobPartKind = 'input' | 'equity' | 'trades' | 'runs';

export interface JobPart<T> {
  readonly seq: number;
  readonly data: T;
}

export interface ClaimableJob {
  readonly tenantId: string;
  readonly jobId: string;
  readonly createdAtMs: number;
}

const partId = (jobId: string, part: JobPartKind, seq: number): string => `${jobId}.${part}.${seq}`;
/** Parallel writes per job: enough to hide round trips, few enough not to flood the emulator or RUs. */
const WRITE_CONCURRENCY = 4;

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class BacktestJobsRepository {
  constructor(private readonly container: Container) {}

  /** Writes the input parts first, then the job: a job that exists always has its input. */
  async create(tenantId: string, record: JobRecord, inputParts: readonly unknown[]): Promise<Stored<JobRecord>> {
    this.checkOwner(tenantId, record);
    if (record.inputParts !== inputParts.length) throw new Error('job record and input parts disagree');
    await this.writeParts(tenantId, record.jobId, 'input', inputParts);
    try {
      const { resource } = await this.container.items.create(record);
      return stored(jobRecordSchema, resource);
    } catch (e) {
      await this.deleteParts(tenantId, record.jobId);
      throw e;
    }
  }

  async get(tenantId: string, jobId: string, kind?: JobKind): Promise<Result<Stored<JobRecord>>> {
    requireTenantId(tenantId);
    const { resource, statusCode } = await this.container.item(jobId, [tenantId, jobId]).read<ItemDefinition>();
    if (statusCode === 404 || !resource || resource.type !== 'job') return notFound(kind ?? 'job');
    const found = stored(jobRecordSchema, resource);
    if (kind !== undefined && found.record.kind !== kind) return notFound(kind);
    return ok(found);
  }

  list(tenantId: string, kind: JobKind, page: PageRequest): Promise<Result<StoredPage<JobRecord>>> {
    return queryTenantPage(
      this.container,
      tenantId,
      {
        query: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'job' AND c.kind = @kind ORDER BY c.createdAtMs DESC",
        parameters: [
          { name: '@tenantId', value: tenantId },
          { name: '@kind', value: kind },
        ],
      },
      page,
      jobRecordSchema,
    );
  }

  async countActive(tenantId: string): Promise<number> {
    requireTenantId(tenantId);
    const { resources } = await this.container.items
      .query<number>(
        {
          query: "SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @tenantId AND c.type = 'job' AND (c.status = 'queued' OR c.status = 'running')",
          parameters: [{ name: '@tenantId', value: tenantId }],
        },
        { partitionKey: [tenantId] },
      )
      .fetchAll();
    return resources.reduce((a, b) => a + b, 0);
  }

  async replace(tenantId: string, record: JobRecord, ifMatch: string): Promise<Result<Stored<JobRecord>>> {
    this.checkOwner(tenantId, record);
    try {
      const { resource } = await this.container.item(record.id, [tenantId, record.jobId]).replace(record, { accessCondition: { type: 'IfMatch', condition: ifMatch } });
      return ok(stored(jobRecordSchema, resource));
    } catch (e) {
      if (cosmosStatus(e) === 412) return staleEtag(record.kind);
      if (cosmosStatus(e) === 404) return notFound(record.kind);
      throw e;
    }
  }

  /** Deletes the job (optionally only at `ifMatch`), then every part it had. */
  async delete(tenantId: string, jobId: string, kind: JobKind, ifMatch?: string): Promise<Result<void>> {
    const found = await this.get(tenantId, jobId, kind);
    if (!found.ok) return found;
    try {
      await this.container.item(jobId, [tenantId, jobId]).delete(ifMatch ? { accessCondition: { type: 'IfMatch', condition: ifMatch } } : {});
    } catch (e) {
      if (cosmosStatus(e) === 404) return notFound(kind);
      if (cosmosStatus(e) === 412) return staleEtag(kind);
      throw e;
    }
    await this.deleteParts(tenantId, jobId);
    return ok(undefined);
  }

  /** Upserts, so a run that is retried after losing its lease overwrites what the first attempt wrote. */
  async writeParts(tenantId: string, jobId: string, part: JobPartKind, parts: readonly unknown[]): Promise<void> {
    requireTenantId(tenantId);
    await forEachLimited(
      parts.map((data, seq) => ({ data, seq })),
      WRITE_CONCURRENCY,
      ({ data, seq }) => this.container.items.upsert({ id: partId(jobId, part, seq), tenantId, jobId, type: 'part', part, seq, data }),
    );
  }

  /** The parts of one kind in order. */
  async readParts<T>(tenantId: string, jobId: string, part: JobPartKind): Promise<JobPart<T>[]> {
    requireTenantId(tenantId);
    const { resources } = await this.container.items
      .query<{ seq: number; data: T }>(
        {
          query: "SELECT c.seq, c.data FROM c WHERE c.jobId = @jobId AND c.type = 'part' AND c.part = @part",
          parameters: [
            { name: '@jobId', value: jobId },
            { name: '@part', value: part },
          ],
        },
        { partitionKey: [tenantId, jobId] },
      )
      .fetchAll();
    return resources.sort((a, b) => a.seq - b.seq);
  }

  /** Deletes part documents (all of them, or one kind); the job document stays. */
  async deleteParts(tenantId: string, jobId: string, part?: JobPartKind): Promise<void> {
    requireTenantId(tenantId);
    const { resources } = await this.container.items
      .query<{ id: string }>(
        {
          query: `SELECT c.id FROM c WHERE c.jobId = @jobId AND c.type = 'part'${part ? ' AND c.part = @part' : ''}`,
          parameters: [
            { name: '@jobId', value: jobId },
            { name: '@part', value: part ?? '' },
          ],
        },
        { partitionKey: [tenantId, jobId] },
      )
      .fetchAll();
    await forEachLimited(resources, WRITE_CONCURRENCY, async ({ id }) => {
      try {
        await this.container.item(id, [tenantId, jobId]).delete();
      } catch (e) {
        if (cosmosStatus(e) !== 404) throw e;
      }
    });
  }

  /**
   * Runner only (see the file comment): jobs waiting for a worker, and running jobs whose lease
   * expired (their worker died), oldest first.
   */
  async findClaimable(nowMs: number, limit: number): Promise<ClaimableJob[]> {
    const { resources } = await this.container.items
      .query<ClaimableJob>({
        query:
          "SELECT c.tenantId, c.jobId, c.createdAtMs FROM c WHERE c.type = 'job' AND (c.status = 'queued' OR (c.status = 'running' AND c.leaseUntilMs < @nowMs))",
        parameters: [{ name: '@nowMs', value: nowMs }],
      })
      .fetchAll();
    return resources.sort((a, b) => a.createdAtMs - b.createdAtMs).slice(0, limit);
  }

  private checkOwner(tenantId: string, record: JobRecord): void {
    requireTenantId(tenantId);
    if (record.tenantId !== tenantId || record.id !== record.jobId) throw new Error('job record belongs to another tenant or is malformed');
  }
}
