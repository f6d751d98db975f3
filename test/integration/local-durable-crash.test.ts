/**
 * The durability promise of the local durable runtime under `kill -9`: every signal answered 202 is
 * applied after a restart, no signal is applied twice, and signals an entity emitted are delivered
 * exactly when the batch that emitted them was committed (conservation across a transfer).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { CounterState, AuditState } from '../fixtures/durable-app';
import { tempDir, type TempDir } from '../unit/local/durable/fake-entity';

const ROOT = join(__dirname, '..', '..');
const LOADER = join(ROOT, 'test/fixtures/durable-ts-loader.cjs');
const HOST = join(ROOT, 'test/fixtures/durable-crash-host.ts');
const KEYS = ['k0', 'k1', 'k2', 'k3'];

interface RunningHost {
  readonly child: ChildProcess;
  readonly api: string;
  readonly stderr: string[];
  readonly exited: Promise<NodeJS.Signals | number | null>;
}

function startHost(dataDir: string): Promise<RunningHost> {
  const child = spawn(process.execPath, ['-r', LOADER, HOST, dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /READY (\d+)/.exec(out)?.[1];
      if (port) resolve({ child, api: `http://127.0.0.1:${port}`, stderr, exited });
    });
    void exited.then((how) => reject(new Error(`host exited before READY (${String(how)}): ${stderr.join('')}`)));
  });
}

async function post(api: string, path: string, body: unknown): Promise<number> {
  const res = await fetch(`${api}/runtime/webhooks/durabletask${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  await res.arrayBuffer();
  return res.status;
}

async function readEntity<T>(api: string, name: string, key: string): Promise<T | undefined> {
  const res = await fetch(`${api}/runtime/webhooks/durabletask/entities/${name}/${key}`);
  if (res.status === 404) return undefined;
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('LocalDurableRuntime after kill -9', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = tempDir('crash');
  });
  afterAll(() => dir.remove());

  it('applies every acknowledged signal exactly once and keeps emitted signals consistent', async () => {
    const first = await startHost(dir.path);
    expect(await post(first.api, '/entities/Counter/bank-a?op=add', 1000)).toBe(202);

    const acked = new Set<number>();
    const ackedTransfers = new Set<number>();
    const total = 6000;
    let next = 0;
    let killed = false;
    const worker = async (): Promise<void> => {
      while (next < total && !killed) {
        const id = next++;
        try {
          if (id % 3 === 0) {
            if ((await post(first.api, '/entities/Counter/bank-a?op=transfer', { to: 'bank-b', amount: 1 })) === 202) ackedTransfers.add(id);
          } else if ((await post(first.api, `/entities/Counter/${KEYS[id % KEYS.length]!}?op=append`, id)) === 202) {
            acked.add(id);
          }
        } catch {
          // Connection refused or reset by the kill: this signal was never acknowledged.
        }
        if (!killed && acked.size + ackedTransfers.size >= 2500) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    expect(await first.exited).toBe('SIGKILL');

    const second = await startHost(dir.path);
    try {
      const status = (await (await fetch(`${second.api}/test/idle`)).json()) as { pendingOperations: number; phase: string };
      expect(status).toMatchObject({ phase: 'running', pendingOperations: 0 });

      const appliedCount = new Map<number, number>();
      for (const key of KEYS) {
        const state = await readEntity<CounterState>(second.api, 'Counter', key);
        for (const id of state?.log ?? []) {
          expect(KEYS[id % KEYS.length]).toBe(key);
          appliedCount.set(id, (appliedCount.get(id) ?? 0) + 1);
        }
      }
      expect([...appliedCount.values()].every((n) => n === 1)).toBe(true);
      for (const id of acked) expect(appliedCount.get(id)).toBe(1);

      const a = await readEntity<CounterState>(second.api, 'Counter', 'bank-a');
      const b = await readEntity<CounterState>(second.api, 'Counter', 'bank-b');
      const audit = await readEntity<AuditState>(second.api, 'Audit', 'transfers');
      const transfersApplied = 1000 - a!.value;
      expect(transfersApplied).toBeGreaterThanOrEqual(ackedTransfers.size);
      expect(b?.value ?? 0).toBe(transfersApplied);
      expect(audit?.entries.length ?? 0).toBe(transfersApplied);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    expect(second.stderr.join('')).toContain('Durable runtime stopped; state persisted.');
  }, 120_000);
});
