/**
 * `npm run build:api && node dist/bench/bots-bars.bench.js [--bars 200] [--latency-bars 60] [--bots 1,10,100]`
 *
 * Bars through the whole execution path of the real local host: POST /api/internal/bars → market
 * entity → each bot's paper account (fills, barrier) → bot (sma-cross 2/5 step, risk checks, orders,
 * Cosmos records: equity per bar, events) → account (orders). For 1, 10 and 100 running bots (each
 * with its own paper connection, all on one market):
 *
 * - throughput: one POST of `--bars` bars; time until every bot has processed the last one.
 *   "bars/s" = market bars per second; "bot-bars/s" = bars × bots per second.
 * - bar → order latency: `--latency-bars` single-bar POSTs, one at a time (each after every bot
 *   finished the previous one); for every order a bot emitted on such a bar, its record's
 *   `createdAtMs` (the bot's clock when it decided) minus the moment the POST was sent.
 *   Also the same figure for the orders of the throughput batch (queueing included).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createCosmosClient } from '../shared/adapters/cosmos/cosmos-client-factory.js';
import type { BotEntityState } from '../shared/bots/bot-operations.js';
import type { Bar } from '../shared/trading/types.js';
import { prepareHostEnv } from '../local/host-launch.js';
import { arg, sleep, summarize } from './bench-support.js';

const ROOT = resolve(__dirname, '..', '..');
const TENANT = 'be'.repeat(16);
const EMULATOR_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

const BARS = Number(arg('bars', '200'));
const LATENCY_BARS = Number(arg('latency-bars', '60'));
const BOT_COUNTS = arg('bots', '1,10,100').split(',').map(Number);
const WARMUP_BARS = 10;

/** mulberry32 random walk with enough crosses of SMA(2)/SMA(5) to trade often. */
function walk(n: number, seed: number, startMs: number): Bar[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const bars: Bar[] = [];
  let price = 100;
  for (let i = 0; i < n; i++) {
    const open = price;
    price = Math.max(1, price * (1 + (rnd() - 0.5) * 0.03));
    bars.push({ timeMs: startMs + i * 60_000, open, high: Math.max(open, price) * 1.001, low: Math.min(open, price) * 0.999, close: price, volume: 1_000_000 });
  }
  return bars;
}

interface Host {
  baseUrl: string;
  functionKey: string;
  cosmosEndpoint: string;
  ca: string;
  stop(): Promise<void>;
}

async function startHost(): Promise<Host> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tt-bench-bots-'));
  const prepared = prepareHostEnv(dataDir, { ...process.env, TT_DATA_DIR: dataDir, TT_FUNCTIONS_PORT: '0', TT_LOG_LEVEL: 'warn' });
  const child = spawn(process.execPath, [join(ROOT, 'dist/local/host-main.js')], { cwd: ROOT, env: prepared.env, stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise<{ baseUrl: string; cosmosEndpoint: string }>((ok, fail) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('TT_HOST_READY ')) ok(JSON.parse(line.slice(14)) as { baseUrl: string; cosmosEndpoint: string });
    });
    child.once('exit', (code) => fail(new Error(`host exited with ${code}`)));
  });
  const keys = JSON.parse(readFileSync(join(dataDir, 'function-keys.json'), 'utf8')) as { functionKey: string };
  return {
    ...ready,
    functionKey: keys.functionKey,
    ca: readFileSync(prepared.tls.caFile, 'utf8'),
    stop: () => new Promise((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }),
  };
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}


async function main(): Promise<void> {
  const host = await startHost();
  const entity = (name: string, key: string): string => `${host.baseUrl}/runtime/webhooks/durabletask/entities/${name}/${encodeURIComponent(key)}`;
  const signal = async (name: string, key: string, op: string, input: unknown): Promise<void> => {
    const res = await fetch(`${entity(name, key)}?op=${op}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    if (res.status !== 202) throw new Error(`signal ${op}: ${res.status}`);
  };
  const read = async <T>(name: string, key: string): Promise<T | undefined> => {
    const res = await fetch(entity(name, key));
    return res.status === 200 ? ((await res.json()) as T) : undefined;
  };
  const post = async (market: { exchange: string; symbol: string; timeframe: string }, bars: readonly Bar[]): Promise<void> => {
    const res = await fetch(`${host.baseUrl}/api/internal/bars`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-functions-key': host.functionKey }, body: JSON.stringify({ ...market, bars }) });
    if (res.status !== 202) throw new Error(`internal/bars: ${res.status} ${await res.text()}`);
  };
  const cosmos = createCosmosClient({ endpoint: host.cosmosEndpoint, key: EMULATOR_KEY, ca: host.ca });
  const orders = cosmos.database('tradingtower').container('botOrders');

  const rows: string[] = [];
  try {
    for (const n of BOT_COUNTS) {
      const market = { exchange: 'paper', symbol: `BENCH${n}`, timeframe: '1m' as const };
      const ids = Array.from({ length: n }, (_, i) => `n${n}b${i}`);
      const connection = { exchangeId: 'paper', mode: 'paper', paper: { startingBalance: { currency: 'USD', amount: 100_000 }, feeRate: 0.001, slippageBps: 1 } };
      await pool(ids, 16, async (id) => {
        const meta = (op: string) => ({ commandId: `${id}-${op}`, actor: 'user:bench', atMs: Date.now() });
        const config = { name: id, connectionId: `c-${id}`, market, strategy: { id: 'sma-cross', params: { fast: 2, slow: 5 } }, marketRules: { lotStep: 0.001 } };
        await signal('bot', `${TENANT}:${id}`, 'create', { ...meta('create'), config });
        await signal('bot', `${TENANT}:${id}`, 'start', { ...meta('start'), connection });
      });
      const marketKey = `paper:${market.symbol}:1m`;
      for (;;) {
        const index = await read<{ subscribers: Record<string, unknown> }>('market', marketKey);
        if (index && Object.keys(index.subscribers).length === n) break;
        await sleep(50);
      }
      await pool(ids, 16, async (id) => {
        for (;;) {
          const account = await read<{ books: Record<string, { attached: boolean }> }>('account', `${TENANT}:c-${id}`);
          if (account?.books[id]?.attached) return;
          await sleep(20);
        }
      });
      const bars = walk(WARMUP_BARS + BARS + LATENCY_BARS, 1000 + n, Date.UTC(2024, 0, 1));
      const allAt = async (timeMs: number, pollMs: number): Promise<void> => {
        const pending = new Set(ids);
        while (pending.size > 0) {
          await pool([...pending], 16, async (id) => {
            const s = await read<BotEntityState>('bot', `${TENANT}:${id}`);
            if (s?.runner.lastBarTimeMs !== undefined && s.runner.lastBarTimeMs !== null && s.runner.lastBarTimeMs >= timeMs) pending.delete(id);
          });
          if (pending.size > 0) await sleep(pollMs);
        }
      };
      await post(market, bars.slice(0, WARMUP_BARS));
      await allAt(bars[WARMUP_BARS - 1]!.timeMs, 20);

      const batch = bars.slice(WARMUP_BARS, WARMUP_BARS + BARS);
      const t0 = Date.now();
      await post(market, batch);
      await allAt(batch[batch.length - 1]!.timeMs, 25);
      const elapsedS = (Date.now() - t0) / 1000;

      const postedAt = new Map<number, number>();
      for (const bar of bars.slice(WARMUP_BARS + BARS)) {
        postedAt.set(bar.timeMs, Date.now());
        await post(market, [bar]);
        await allAt(bar.timeMs, 2);
      }
      const { resources } = await orders.items
        .query<{ barTimeMs: number | null; createdAtMs: number; botId: string }>({ query: 'SELECT c.barTimeMs, c.createdAtMs, c.botId FROM c WHERE STARTSWITH(c.botId, @prefix)', parameters: [{ name: '@prefix', value: `n${n}b` }] }, { partitionKey: [TENANT] })
        .fetchAll();
      const single = resources.filter((o) => o.barTimeMs !== null && postedAt.has(o.barTimeMs)).map((o) => o.createdAtMs - postedAt.get(o.barTimeMs!)!);
      const batchTimes = new Set(batch.map((b) => b.timeMs));
      const loaded = resources.filter((o) => o.barTimeMs !== null && batchTimes.has(o.barTimeMs)).map((o) => o.createdAtMs - t0);
      const s1 = summarize(single);
      const s2 = summarize(loaded);
      rows.push(
        `| ${n} | ${BARS} | ${(BARS / elapsedS).toFixed(1)} | ${((BARS * n) / elapsedS).toFixed(0)} | ${s1.n} | ${s1.p50.toFixed(1)} / ${s1.p99.toFixed(1)} | ${s2.n} | ${s2.p50.toFixed(0)} / ${s2.p99.toFixed(0)} |`,
      );
      process.stdout.write(`${rows[rows.length - 1]}\n`);
    }
  } finally {
    await host.stop();
  }
  process.stdout.write(
    [
      '',
      'bars through POST /api/internal/bars (sma-cross 2/5 paper bots, each with its own paper account, one market)',
      '| bots | bars posted | bars/s | bot-bars/s | orders (single-bar posts) | bar→order p50 / p99 ms | orders (batch) | batch post→order p50 / p99 ms |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
