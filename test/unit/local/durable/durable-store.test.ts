import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DurableStore } from '../../../../local/durable/durable-store.js';
import { EntityTable } from '../../../../local/durable/entity-table.js';
import { encodeJournalLine, journalFileName } from '../../../../local/durable/journal-file.js';
import type { BatchRecord, JournalRecord, SignalRecord } from '../../../../local/durable/durable-records.js';
import { collectLogs, tempDir, type TempDir } from './fake-entity.js';

const signal = (seq: number, key = 'k'): SignalRecord => ({ t: 'signal', signal: { seq, name: 'counter', key, op: 'add', input: '1', atMs: 1 } });
const batch = (consumed: number[], state: number, key = 'k'): BatchRecord => ({
  t: 'batch',
  name: 'counter',
  key,
  consumed,
  exists: true,
  state: String(state),
  lastOperationMs: 2,
  emitted: [],
});

describe('DurableStore', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = tempDir('store');
  });
  afterEach(() => dir.remove());

  async function appendAll(store: DurableStore, table: EntityTable, records: JournalRecord[]): Promise<void> {
    await Promise.all(records.map((r) => store.append(r, () => table.applyRecord(r))));
  }

  it('rebuilds the table from the journal of a process that never closed it', async () => {
    const journal = join(dir.path, journalFileName(1));
    writeFileSync(journal, [signal(1), signal(2), batch([1], 1), signal(3)].map(encodeJournalLine).join(''));

    const table = new EntityTable();
    const store = await DurableStore.open({ dir: dir.path, log: collectLogs().log }, table);
    await store.close();

    const instance = table.get('counter', 'k');
    expect(instance?.state).toBe('1');
    expect(instance?.queue.map((s) => s.seq)).toEqual([2, 3]);
    expect(table.nextSeq).toBe(4);
    expect(store.recovery).toMatchObject({ recordsReplayed: 4, droppedTailBytes: 0 });
  });

  it('ignores a torn tail and says so in the log', async () => {
    const journal = join(dir.path, journalFileName(1));
    writeFileSync(journal, encodeJournalLine(signal(1)));
    appendFileSync(journal, encodeJournalLine(signal(2)).slice(0, 30));
    const logs = collectLogs();

    const table = new EntityTable();
    const store = await DurableStore.open({ dir: dir.path, log: logs.log }, table);
    await store.close();

    expect(table.get('counter', 'k')?.queue.map((s) => s.seq)).toEqual([1]);
    expect(store.recovery.droppedTailBytes).toBe(30);
    expect(logs.lines.some((l) => l.level === 'warn' && l.msg.includes('never acknowledged'))).toBe(true);
  });

  it('compacts into snapshots while running, and a copy taken mid-run recovers the same table', async () => {
    const table = new EntityTable();
    const store = await DurableStore.open({ dir: dir.path, log: collectLogs().log, compactAtBytes: 512 }, table);
    const records: JournalRecord[] = [];
    for (let seq = 1; seq <= 60; seq += 2) records.push(signal(seq, `key-${seq % 7}`), signal(seq + 1, `key-${seq % 7}`));
    await appendAll(store, table, records);
    for (let seq = 1; seq <= 40; seq += 2) await appendAll(store, table, [batch([seq, seq + 1], seq, `key-${seq % 7}`)]);
    const before = table.toSnapshotBody();
    // What a kill -9 right now would leave behind (a compaction may be half done: that must be fine too).
    const crashCopy = `${dir.path}-crash`;
    cpSync(dir.path, crashCopy, { recursive: true });
    await store.close();

    try {
      const snapshot = JSON.parse(readFileSync(join(dir.path, 'snapshot.json'), 'utf8')) as { generation: number };
      // open writes generation 1 and close generation 2; anything above means compaction ran.
      expect(snapshot.generation).toBeGreaterThan(2);
      const recovered = new EntityTable();
      const reopened = await DurableStore.open({ dir: crashCopy, log: collectLogs().log }, recovered);
      await reopened.close();
      expect(recovered.toSnapshotBody()).toEqual(before);
    } finally {
      rmSync(crashCopy, { recursive: true, force: true });
    }
  });

  it('writes a snapshot that the next open starts from', async () => {
    const table = new EntityTable();
    const store = await DurableStore.open({ dir: dir.path, log: collectLogs().log }, table);
    await appendAll(store, table, [signal(1), batch([1], 41)]);
    await store.close();

    const snapshot = JSON.parse(readFileSync(join(dir.path, 'snapshot.json'), 'utf8')) as { entities: unknown[]; pending: unknown[] };
    expect(snapshot.entities).toEqual([{ name: 'counter', key: 'k', state: '41', lastOperationMs: 2 }]);
    expect(snapshot.pending).toEqual([]);
    expect(readdirSync(dir.path).filter((f) => f.startsWith('journal-'))).toEqual([]);
  });

  it('refuses to start over an invalid snapshot rather than start empty', async () => {
    writeFileSync(join(dir.path, 'snapshot.json'), JSON.stringify({ format: 'something-else' }));
    await expect(DurableStore.open({ dir: dir.path, log: collectLogs().log }, new EntityTable())).rejects.toThrow(/snapshot .* is invalid/);
  });
});
