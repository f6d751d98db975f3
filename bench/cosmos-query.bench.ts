/**
 * Embedded Cosmos emulator benchmark, through the real @azure/cosmos SDK over TLS (client and emulator
 * in one process, as in the local host). Build with `npm run build:api`, then
 * `node dist/bench/cosmos-query.bench.js [--docs 100000] [--runs 5] [--json]`.
 *
 * 1. Queries over `--docs` documents inserted with executeBulkOperations: a parameterized filter
 *    (cross-partition and partition-scoped), ORDER BY + TOP, COUNT, and a paged read of everything
 *    following continuation tokens (1,000 per page). Median and min of `--runs` timed runs after one
 *    warm-up run.
 * 2. Restart: stop (flush, compaction) and start again on the same data directory with all documents.
 * 3. Write latency: one client creating 1 KB documents one after another (p50/p99), and 16 concurrent
 *    writers (throughput), with durability `fsync` (default, crash-safe), `no-fsync` and `memory`:
 *    the difference is the cost of the write-ahead log and of its fsync.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BulkOperationType, CosmosClient, type Container, type OperationInput } from '@azure/cosmos';
import { startLocalCosmos, type LocalCosmos, type LocalCosmosOptions } from '../local/cosmos/local-cosmos.js';
import { summarize } from './bench-support.js';

const args = process.argv.slice(2);
const argValue = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const DOCS = argValue('--docs', 100_000);
const RUNS = argValue('--runs', 5);
const JSON_OUTPUT = args.includes('--json');
const PAGE_SIZE = 1000;
const TENANTS = 10;
const BOTS = 1000;

const say = (line: string): void => {
  if (!JSON_OUTPUT) process.stdout.write(`${line}\n`);
};
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const now = (): number => performance.now();

async function open(dataDir: string, durability: LocalCosmosOptions['durability'] = 'fsync'): Promise<{ cosmos: LocalCosmos; container: Container }> {
  const cosmos = await startLocalCosmos({ dataDir, durability });
  const client = new CosmosClient(cosmos.clientOptions());
  const { database } = await client.databases.createIfNotExists({ id: 'bench' });
  const { container } = await database.containers.createIfNotExists({ id: 'orders', partitionKey: { paths: ['/tenantId'] } });
  return { cosmos, container };
}

const orderDoc = (i: number): Record<string, unknown> => ({
  id: `o${i}`,
  tenantId: `t${i % TENANTS}`,
  botId: `b${i % BOTS}`,
  seq: i,
  price: ((i * 7919) % 100_003) / 10,
  status: ['open', 'filled', 'cancelled'][i % 3],
  createdAtMs: 1_700_000_000_000 + i * 1000,
});

async function bulkInsert(container: Container, count: number): Promise<number> {
  const started = now();
  const chunk = 20_000;
  for (let from = 0; from < count; from += chunk) {
    const operations: OperationInput[] = [];
    for (let i = from; i < Math.min(count, from + chunk); i += 1) {
      const doc = orderDoc(i);
      operations.push({ operationType: BulkOperationType.Create, partitionKey: doc.tenantId as string, resourceBody: doc as { id: string } });
    }
    const results = await container.items.executeBulkOperations(operations);
    const failed = results.filter((r) => r.response?.statusCode !== 201);
    if (failed.length > 0) throw new Error(`bulk insert: ${failed.length} operations failed`);
  }
  return now() - started;
}

interface Timing {
  readonly name: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly detail: string;
}

async function timeQuery(name: string, run: () => Promise<string>): Promise<Timing> {
  await run();
  const samples: number[] = [];
  let detail = '';
  for (let r = 0; r < RUNS; r += 1) {
    const started = now();
    detail = await run();
    samples.push(now() - started);
  }
  const s = summarize(samples);
  const timing = { name, medianMs: s.p50, minMs: Math.min(...samples), detail };
  say(`  ${name.padEnd(44)} median ${ms(timing.medianMs).padStart(10)}  min ${ms(timing.minMs).padStart(10)}  ${detail}`);
  return timing;
}

async function queryBench(dataDir: string): Promise<{ insertMs: number; queries: Timing[] }> {
  const { cosmos, container } = await open(dataDir);
  say(`inserting ${DOCS} documents with executeBulkOperations…`);
  const insertMs = await bulkInsert(container, DOCS);
  say(`  inserted in ${ms(insertMs)} (${Math.round(DOCS / (insertMs / 1000))} docs/s)`);
  say(`queries over ${DOCS} documents (${RUNS} runs after a warm-up):`);
  const queries = [
    await timeQuery('filter with a parameter (cross-partition)', async () => {
      const { resources } = await container.items.query({ query: 'SELECT * FROM c WHERE c.botId = @botId', parameters: [{ name: '@botId', value: 'b42' }] }).fetchAll();
      return `${resources.length} rows`;
    }),
    await timeQuery('filter with a parameter in one partition', async () => {
      const { resources } = await container.items
        .query({ query: 'SELECT * FROM c WHERE c.status = @status', parameters: [{ name: '@status', value: 'open' }] }, { partitionKey: 't3' })
        .fetchAll();
      return `${resources.length} rows`;
    }),
    await timeQuery('ORDER BY c.price DESC + TOP 10', async () => {
      const { resources } = await container.items.query<{ price: number }>('SELECT TOP 10 * FROM c ORDER BY c.price DESC').fetchAll();
      return `top price ${resources[0]?.price ?? '-'}`;
    }),
    await timeQuery('SELECT VALUE COUNT(1)', async () => {
      const { resources } = await container.items.query<number>('SELECT VALUE COUNT(1) FROM c').fetchAll();
      return `count ${resources[0] ?? '-'}`;
    }),
    await timeQuery(`paged read of everything (${PAGE_SIZE}/page)`, async () => {
      const pages = container.items.query('SELECT * FROM c', { maxItemCount: PAGE_SIZE });
      let rows = 0;
      let count = 0;
      while (pages.hasMoreResults()) {
        const page = await pages.fetchNext();
        rows += page.resources.length;
        count += 1;
      }
      return `${rows} rows in ${count} pages`;
    }),
  ];
  const stopStarted = now();
  await cosmos.stop();
  say(`  stop (flush + compaction) ${ms(now() - stopStarted)}`);
  return { insertMs, queries };
}

async function restartBench(dataDir: string): Promise<{ startMs: number; count: number }> {
  const started = now();
  const { cosmos, container } = await open(dataDir);
  const startMs = now() - started;
  const { resources } = await container.items.query<number>('SELECT VALUE COUNT(1) FROM c').fetchAll();
  await cosmos.stop();
  say(`restart with ${resources[0] ?? 0} documents: start ${ms(startMs)}`);
  return { startMs, count: resources[0] ?? 0 };
}

interface WriteFigures {
  readonly durability: string;
  readonly sequentialP50Ms: number;
  readonly sequentialP99Ms: number;
  readonly concurrentOpsPerSec: number;
}

async function writeBench(durability: NonNullable<LocalCosmosOptions['durability']>): Promise<WriteFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tt-cosmos-bench-w-'));
  try {
    const { cosmos, container } = await open(dataDir, durability);
    const payload = 'x'.repeat(1000);
    for (let i = 0; i < 50; i += 1) await container.items.create({ id: `warm${i}`, tenantId: 't0', payload });
    const samples: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      const started = now();
      await container.items.create({ id: `s${i}`, tenantId: `t${i % TENANTS}`, payload });
      samples.push(now() - started);
    }
    const writers = 16;
    const perWriter = 100;
    const started = now();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i += 1) await container.items.create({ id: `c${w}-${i}`, tenantId: `t${w % TENANTS}`, payload });
      }),
    );
    const concurrentOpsPerSec = (writers * perWriter) / ((now() - started) / 1000);
    await cosmos.stop();
    const s = summarize(samples);
    const figures = { durability, sequentialP50Ms: s.p50, sequentialP99Ms: s.p99, concurrentOpsPerSec };
    say(`  ${durability.padEnd(9)} sequential create p50 ${ms(s.p50).padStart(9)}  p99 ${ms(s.p99).padStart(9)}   16 writers ${Math.round(concurrentOpsPerSec)} creates/s`);
    return figures;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  say(`cosmos-query bench: node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'tt-cosmos-bench-'));
  try {
    const query = await queryBench(dataDir);
    const restart = await restartBench(dataDir);
    say('write latency (1 KB documents):');
    const writes = [await writeBench('fsync'), await writeBench('no-fsync'), await writeBench('memory')];
    const [fsync, , memory] = writes;
    if (fsync && memory) say(`  fsync overhead per sequential write (p50): ${ms(fsync.sequentialP50Ms - memory.sequentialP50Ms)}`);
    if (JSON_OUTPUT) process.stdout.write(`${JSON.stringify({ docs: DOCS, runs: RUNS, ...query, restart, writes }, null, 2)}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`cosmos-query bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
