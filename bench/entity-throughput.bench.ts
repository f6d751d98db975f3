/**
 * Entity signal-to-applied latency and throughput of the local durable runtime, through its HTTP API.
 *
 * The entity is registered with the real `df.app.entity` (captured by the host's functions-core
 * stand-in); signals go over HTTP to the runtime exactly as app code sends them. "Applied" means the
 * batch holding the operation has been persisted (journal fdatasync) and its state is readable.
 *
 *   npm run build && npm run bench:entities
 *   node -r ./test/fixtures/durable-ts-loader.cjs bench/entity-throughput.bench.ts   (no build)
 *
 * Options (env): BENCH_OPS (default 20000), BENCH_CONCURRENCY (default 64).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { installFunctionsCoreShim } from '../local/host/functions-core-shim.js';
import { LocalDurableRuntime, type EntityHandler } from '../local/durable/index.js';

interface BenchInput {
  id: number;
}

interface Scenario {
  readonly label: string;
  readonly entities: number;
  readonly ops: number;
  readonly concurrency: number;
  readonly client: 'df-client' | 'raw-http';
}

interface Figures {
  readonly scenario: Scenario;
  readonly opsPerSecond: number;
  readonly ackP50Ms: number;
  readonly ackP99Ms: number;
  readonly appliedP50Ms: number;
  readonly appliedP99Ms: number;
  readonly batches: number;
  readonly recordsPerSync: number;
  readonly meanSyncMs: number;
  /** Process CPU (client, HTTP server and runtime share the process) per operation. */
  readonly cpuUsPerOp: number;
}

const ENTITY = 'BenchCounter';
const appliedAt = new Map<number, number>();
const inBatch = new Map<string, number[]>();

async function main(): Promise<void> {
  // @azure/functions looks for the core module at the first app.* call, so this must come first.
  const capture = installFunctionsCoreShim();

  df.app.entity<number>(ENTITY, (context) => {
    const input = context.df.getInput<BenchInput>();
    context.df.setState((context.df.getState(() => 0) ?? 0) + 1);
    if (!input) return;
    const ids = inBatch.get(context.df.entityKey) ?? [];
    ids.push(input.id);
    inBatch.set(context.df.entityKey, ids);
  });
  const registration = capture.registrations.find((r) => r.metadata.name === ENTITY);
  if (!registration) throw new Error('the bench entity was not captured');

  const totalOps = Number(process.env.BENCH_OPS ?? 20_000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
  // Concurrent runs first: they also warm up the JIT before the sequential latency run.
  const scenarios: Scenario[] = [
    ...[1, 10, 100].map((entities): Scenario => ({ label: `${entities} entit${entities === 1 ? 'y' : 'ies'}`, entities, ops: totalOps, concurrency, client: 'df-client' })),
    ...[1, 100].map((entities): Scenario => ({ label: `${entities} entit${entities === 1 ? 'y' : 'ies'}`, entities, ops: totalOps, concurrency, client: 'raw-http' })),
    { label: 'sequential, 1 entity', entities: 1, ops: 1000, concurrency: 1, client: 'df-client' },
    { label: 'sequential, 1 entity', entities: 1, ops: 1000, concurrency: 1, client: 'raw-http' },
  ];

  const results: Figures[] = [];
  for (const scenario of scenarios) {
    const dataDir = mkdtempSync(join(tmpdir(), 'tt-entity-bench-'));
    let batches = 0;
    const runtime = new LocalDurableRuntime({
      dataDir,
      log: (level, msg) => {
        if (level !== 'info') process.stderr.write(`${level}: ${msg}\n`);
      },
      onBatchCommitted: (event) => {
        batches++;
        const now = performance.now();
        for (const id of inBatch.get(event.key) ?? []) appliedAt.set(id, now);
        inBatch.set(event.key, []);
      },
    });
    runtime.registerEntity(ENTITY, registration.callback as EntityHandler);
    await runtime.start();
    const server = await listen(runtime);
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const send = scenario.client === 'df-client' ? dfClientSender(runtime, baseUrl) : rawSender(baseUrl);
      const cpuBefore = process.cpuUsage();
      const figures = await runScenario(scenario, send, runtime);
      const cpu = process.cpuUsage(cpuBefore);
      const journal = runtime.status().journal;
      results.push({
        ...figures,
        batches,
        recordsPerSync: journal?.meanRecordsPerGroup ?? 0,
        meanSyncMs: journal?.meanSyncMs ?? 0,
        cpuUsPerOp: (cpu.user + cpu.system) / scenario.ops,
      });
    } finally {
      await runtime.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  print(results);
}

type Sender = (key: string, input: BenchInput) => Promise<void>;

function dfClientSender(runtime: LocalDurableRuntime, baseUrl: string): Sender {
  const binding = df.input.durableClient();
  const context = new InvocationContext({ functionName: 'bench', options: { trigger: { type: 'httpTrigger', name: 'req' }, extraInputs: [binding], extraOutputs: [] } });
  context.extraInputs.set(binding, runtime.clientBindingValue(baseUrl));
  const client = df.getClient(context);
  return (key, input) => client.signalEntity(new df.EntityId(ENTITY, key), 'add', input);
}

function rawSender(baseUrl: string): Sender {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  return (key, input) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify(input);
      const req = request(
        `${baseUrl}/runtime/webhooks/durabletask/entities/${ENTITY}/${key}?op=add`,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 202 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

async function runScenario(scenario: Scenario, send: Sender, runtime: LocalDurableRuntime): Promise<Omit<Figures, 'batches' | 'recordsPerSync' | 'meanSyncMs' | 'cpuUsPerOp'>> {
  appliedAt.clear();
  inBatch.clear();
  const sentAt = new Float64Array(scenario.ops);
  const ackMs = new Float64Array(scenario.ops);
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < scenario.ops) {
      const id = next++;
      sentAt[id] = performance.now();
      await send(`e${id % scenario.entities}`, { id });
      ackMs[id] = performance.now() - sentAt[id];
    }
  };
  await Promise.all(Array.from({ length: scenario.concurrency }, worker));
  await runtime.whenIdle();
  const applied = Array.from({ length: scenario.ops }, (_, id) => {
    const at = appliedAt.get(id);
    if (at === undefined) throw new Error(`operation ${id} was never applied`);
    return at - sentAt[id]!;
  });
  const lastApplied = Math.max(...appliedAt.values());
  return {
    scenario,
    opsPerSecond: scenario.ops / ((lastApplied - started) / 1000),
    ackP50Ms: percentile([...ackMs], 0.5),
    ackP99Ms: percentile([...ackMs], 0.99),
    appliedP50Ms: percentile(applied, 0.5),
    appliedP99Ms: percentile(applied, 0.99),
  };
}

function listen(runtime: LocalDurableRuntime): Promise<Server> {
  const server = createServer((req, res) => {
    void runtime.handleDurableHttp(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function print(results: Figures[]): void {
  const rows = results.map((r) => [
    r.scenario.label,
    r.scenario.client,
    String(r.scenario.concurrency),
    String(r.scenario.ops),
    r.opsPerSecond.toFixed(0),
    r.ackP50Ms.toFixed(2),
    r.ackP99Ms.toFixed(2),
    r.appliedP50Ms.toFixed(2),
    r.appliedP99Ms.toFixed(2),
    (r.scenario.ops / r.batches).toFixed(1),
    r.recordsPerSync.toFixed(1),
    r.meanSyncMs.toFixed(2),
    r.cpuUsPerOp.toFixed(0),
  ]);
  const header = ['scenario', 'client', 'in-flight', 'ops', 'ops/s', '202 p50 ms', '202 p99 ms', 'applied p50 ms', 'applied p99 ms', 'ops/batch', 'records/sync', 'sync ms', 'CPU µs/op'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(`Entity signal → applied (journal fdatasync per group), Node ${process.version}`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const best = Math.max(...results.filter((r) => r.scenario.concurrency > 1).map((r) => r.opsPerSecond));
  console.log(`Target ≥ 2000 ops/s in total: ${best >= 2000 ? 'met' : 'NOT met'} (best ${best.toFixed(0)} ops/s).`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
