/**
 * kill -9 of a process running the embedded Cosmos emulator in the middle of a write stream:
 * every write the SDK saw acknowledged must be there after a restart, with its ETag and _ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CosmosClient, type ItemDefinition } from '@azure/cosmos';
import { startLocalCosmos } from '../../local/cosmos/local-cosmos';

// Emulator start, bulk inserts and child processes exceed the default 5 s (the projects-level testTimeout is not applied).
jest.setTimeout(120_000);

const WRITER = join(__dirname, 'fixtures', 'local-cosmos-crash-writer.cjs');
const KILL_AFTER_ACKS = 600;

interface Ack {
  readonly op: 'create' | 'replace' | 'delete';
  readonly id: string;
  readonly etag?: string;
  readonly ts?: number;
}

/** Runs the writer until it has printed `KILL_AFTER_ACKS` acknowledgements, SIGKILLs it, returns every ack it printed. */
function writeUntilKilled(dataDir: string): Promise<{ acks: Ack[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let stderr = '';
    let exited: NodeJS.Signals | null | undefined;
    let stdoutClosed = false;
    const done = (): void => {
      if (exited !== undefined && stdoutClosed) resolve({ acks, signal: exited });
    };
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (!line.startsWith('ACK ')) return;
      acks.push(JSON.parse(line.slice(4)) as Ack);
      if (acks.length === KILL_AFTER_ACKS) child.kill('SIGKILL');
    });
    lines.on('close', () => {
      stdoutClosed = true;
      done();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited early (code ${String(code)}): ${stderr}`));
      exited = signal;
      done();
    });
  });
}

describe('local Cosmos emulator under kill -9', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tt-cosmos-crash-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged create, replace and delete, with ETag and _ts, after the process is SIGKILLed mid-stream', async () => {
    const { acks, signal } = await writeUntilKilled(dataDir);
    expect(signal).toBe('SIGKILL');
    expect(acks.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    const logs: string[] = [];
    const cosmos = await startLocalCosmos({ dataDir, log: (m) => logs.push(m) });
    try {
      const container = new CosmosClient(cosmos.clientOptions()).database('crash').container('docs');
      const stored = new Map<string, ItemDefinition>();
      for (const doc of (await container.items.readAll().fetchAll()).resources) stored.set(doc.id!, doc);

      const lastAck = new Map<string, Ack>();
      for (const ack of acks) lastAck.set(ack.id, ack);
      let checkedReplace = 0;
      let checkedDelete = 0;
      for (const [id, ack] of lastAck) {
        const doc = stored.get(id);
        if (ack.op === 'delete') {
          expect({ id, present: doc !== undefined }).toEqual({ id, present: false });
          checkedDelete += 1;
          continue;
        }
        // A write that completed but whose acknowledgement was lost to the kill may follow
        // (the writer replaces every 3rd and deletes every 5th document after creating it).
        const n = Number(id.slice('doc-'.length));
        const laterWritePossible = ack.op === 'create' && (n % 3 === 0 || n % 5 === 0);
        if (laterWritePossible && (doc === undefined || doc._etag !== ack.etag)) continue;
        expect({ id, etag: doc?._etag, ts: doc?._ts }).toEqual({ id, etag: ack.etag, ts: ack.ts });
        if (ack.op === 'replace') {
          expect(doc?.replaced).toBe(true);
          checkedReplace += 1;
        }
      }
      expect(checkedReplace).toBeGreaterThan(0);
      expect(checkedDelete).toBeGreaterThan(0);

      // The recovered emulator keeps taking writes with fresh resource ids.
      const created = await container.items.create({ id: 'after-crash', tenantId: 't0' });
      expect([...stored.values()].map((d): unknown => d._rid)).not.toContain(created.resource?._rid);
      expect(logs.some((m) => /^restored \d+ snapshot \+ [1-9]\d* WAL records/.test(m))).toBe(true);
    } finally {
      await cosmos.stop();
    }
  });
});
