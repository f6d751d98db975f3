/**
 * Durability for the local entity runtime: a write-ahead journal with group commit, plus snapshots
 * that let the journal be compacted.
 *
 * - `append(record, onDurable)` queues a record; a writer loop writes every queued record in one
 *   write and one fdatasync, then calls each `onDurable` in journal order and resolves its promise.
 *   The runtime changes its in-memory table only in `onDurable`, so memory always equals the
 *   durable journal replayed, and an acknowledgement always follows durability.
 * - A snapshot (`snapshot.json`, written atomically) holds the whole table as of the end of journal
 *   generation N-1 and names generation N as the first journal to replay. Compaction switches to a
 *   new journal file between two groups, writes the snapshot, and only then deletes older journals.
 * - One runtime per directory: a lock file with the owner's pid (a stale lock from a killed process
 *   is taken over).
 */
import { mkdir, open, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { snapshotSchema, type JournalRecord, type Snapshot } from './durable-records.js';
import type { EntityTable } from './entity-table.js';
import {
  encodeJournalLine,
  journalFileName,
  listJournalGenerations,
  readJournal,
  removeIfExists,
  syncDirectory,
  writeAll,
  writeFileAtomic,
} from './journal-file.js';
import { isProcessAlive } from '../process-alive.js';

export type DurableLog = (level: 'info' | 'warn' | 'error', msg: string) => void;

export interface DurableStoreOptions {
  readonly dir: string;
  readonly log: DurableLog;
  /** Journal size that triggers compaction into a snapshot. */
  readonly compactAtBytes?: number;
}

export interface RecoveryReport {
  readonly snapshotGeneration: number | undefined;
  readonly journalsReplayed: number;
  readonly recordsReplayed: number;
  readonly droppedTailBytes: number;
}

export interface JournalStats {
  readonly groups: number;
  readonly records: number;
  readonly syncMsTotal: number;
  readonly generation: number;
}

interface QueuedLine {
  readonly line: string;
  readonly onDurable: () => void;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

const SNAPSHOT_FILE = 'snapshot.json';
const LOCK_FILE = 'runtime.lock';
const DEFAULT_COMPACT_AT_BYTES = 16 * 1024 * 1024;
/** Directories held by a store in this process (the lock file cannot tell two owners with one pid apart). */
const openDirectories = new Set<string>();

export class DurableStore {
  private queue: QueuedLine[] = [];
  private writer: Promise<void> | undefined;
  private compaction: Promise<void> | undefined;
  private failure: Error | undefined;
  private closing = false;
  private journalBytes = 0;
  private groups = 0;
  private records = 0;
  private syncMsTotal = 0;

  private constructor(
    private readonly dir: string,
    private readonly table: EntityTable,
    private readonly log: DurableLog,
    private readonly compactAtBytes: number,
    private handle: FileHandle,
    private generation: number,
    readonly recovery: RecoveryReport,
  ) {}

  /** Locks the directory, rebuilds `table` from snapshot + journals, and opens a fresh journal. */
  static async open(options: DurableStoreOptions, table: EntityTable): Promise<DurableStore> {
    const dir = resolve(options.dir);
    await mkdir(dir, { recursive: true });
    await acquireLock(dir);
    try {
      const recovery = await recover(dir, table, options.log);
      const generation = (await lastGeneration(dir, recovery.snapshotGeneration)) + 1;
      await writeSnapshot(dir, generation, table);
      await deleteJournalsBefore(dir, generation);
      const handle = await open(join(dir, journalFileName(generation)), 'a');
      await syncDirectory(dir);
      return new DurableStore(dir, table, options.log, options.compactAtBytes ?? DEFAULT_COMPACT_AT_BYTES, handle, generation, recovery);
    } catch (e) {
      await releaseLock(dir);
      throw e;
    }
  }

  stats(): JournalStats {
    return { groups: this.groups, records: this.records, syncMsTotal: this.syncMsTotal, generation: this.generation };
  }

  /** Set once a write or fsync failed; nothing more is accepted after that. */
  get failed(): Error | undefined {
    return this.failure;
  }

  append(record: JournalRecord, onDurable: () => void): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error('The durable store is closing.'));
    return new Promise<void>((resolvePromise, rejectPromise) => {
      this.queue.push({ line: encodeJournalLine(record), onDurable, resolve: resolvePromise, reject: rejectPromise });
      this.startWriter();
    });
  }

  private startWriter(): void {
    if (this.writer) return;
    this.writer = this.drain().finally(() => {
      this.writer = undefined;
      // Records queued between the loop's last check and this callback still need a writer.
      if (this.queue.length > 0 && !this.failure) this.startWriter();
    });
  }

  /** Waits for queued records, writes a final snapshot (fast next start), releases the lock. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.writer) await this.writer;
    if (this.compaction) await this.compaction;
    try {
      if (!this.failure) {
        const next = this.generation + 1;
        await writeSnapshot(this.dir, next, this.table);
        await this.handle.close();
        await deleteJournalsBefore(this.dir, next);
      } else {
        await this.handle.close();
      }
    } finally {
      await releaseLock(this.dir);
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      const data = Buffer.from(group.map((q) => q.line).join(''), 'utf8');
      const startedMs = performance.now();
      try {
        await writeAll(this.handle, data);
        await this.handle.datasync();
      } catch (e) {
        this.failure = e instanceof Error ? e : new Error(String(e));
        this.log('error', `Durable journal write failed; the runtime stops accepting work: ${this.failure.message}`);
        for (const q of [...group, ...this.queue]) q.reject(this.failure);
        this.queue = [];
        return;
      }
      this.journalBytes += data.length;
      this.groups++;
      this.records += group.length;
      this.syncMsTotal += performance.now() - startedMs;
      for (const q of group) {
        try {
          q.onDurable();
        } catch (e) {
          this.log('error', `Applying a durable record failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
        q.resolve();
      }
      if (this.journalBytes >= this.compactAtBytes && !this.compaction && !this.closing) await this.startCompaction();
    }
  }

  /** Runs between two groups, so the table equals the journal written so far. */
  private async startCompaction(): Promise<void> {
    const body = this.table.toSnapshotBody();
    const next = this.generation + 1;
    let newHandle: FileHandle;
    try {
      newHandle = await open(join(this.dir, journalFileName(next)), 'a');
      await syncDirectory(this.dir);
    } catch (e) {
      this.log('warn', `Journal compaction skipped: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const oldHandle = this.handle;
    this.handle = newHandle;
    this.generation = next;
    this.journalBytes = 0;
    this.compaction = (async () => {
      try {
        await oldHandle.close();
        await writeSnapshotBody(this.dir, next, body);
        await deleteJournalsBefore(this.dir, next);
      } catch (e) {
        this.log('warn', `Journal compaction failed (the journal is kept and replayed instead): ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        this.compaction = undefined;
      }
    })();
  }
}

async function recover(dir: string, table: EntityTable, log: DurableLog): Promise<RecoveryReport> {
  const snapshot = await readSnapshot(dir);
  if (snapshot) table.loadSnapshot(snapshot);
  const first = snapshot?.generation ?? 0;
  const generations = (await listJournalGenerations(dir)).filter((g) => g >= first);
  let recordsReplayed = 0;
  let droppedTailBytes = 0;
  for (const generation of generations) {
    const path = join(dir, journalFileName(generation));
    const result = await readJournal(path);
    for (const record of result.records) table.applyRecord(record);
    recordsReplayed += result.records.length;
    if (result.problem) {
      const dropped = result.totalBytes - result.validBytes;
      droppedTailBytes += dropped;
      // Only an unacknowledged group can be torn (see journal-file.ts); say so, loudly, anyway.
      log('warn', `Durable journal ${journalFileName(generation)}: ${result.problem} at byte ${result.validBytes}; ignoring the last ${dropped} byte(s), which were never acknowledged.`);
    }
  }
  return { snapshotGeneration: snapshot?.generation, journalsReplayed: generations.length, recordsReplayed, droppedTailBytes };
}

async function readSnapshot(dir: string): Promise<Snapshot | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, SNAPSHOT_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const parsed = snapshotSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    // Refusing to start is better than silently starting empty over someone's entity state.
    throw new Error(`The durable snapshot ${join(dir, SNAPSHOT_FILE)} is invalid (${parsed.error.issues[0]?.message ?? 'unknown'}); move it away to start empty.`);
  }
  return parsed.data;
}

async function lastGeneration(dir: string, snapshotGeneration: number | undefined): Promise<number> {
  const generations = await listJournalGenerations(dir);
  return Math.max(snapshotGeneration ?? 0, ...generations);
}

async function writeSnapshot(dir: string, generation: number, table: EntityTable): Promise<void> {
  await writeSnapshotBody(dir, generation, table.toSnapshotBody());
}

async function writeSnapshotBody(dir: string, generation: number, body: ReturnType<EntityTable['toSnapshotBody']>): Promise<void> {
  const snapshot: Snapshot = { format: 'tradingtower-durable-snapshot', version: 1, generation, writtenAtMs: Date.now(), ...body };
  await writeFileAtomic(dir, SNAPSHOT_FILE, JSON.stringify(snapshot));
}

async function deleteJournalsBefore(dir: string, generation: number): Promise<void> {
  for (const g of await listJournalGenerations(dir)) {
    if (g < generation) await removeIfExists(join(dir, journalFileName(g)));
  }
}

async function acquireLock(dir: string): Promise<void> {
  if (openDirectories.has(dir)) throw new Error(`The durable data directory ${dir} is already open in this process.`);
  const path = join(dir, LOCK_FILE);
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown };
    if (typeof owner.pid === 'number' && owner.pid !== process.pid && isProcessAlive(owner.pid)) {
      throw new Error(`The durable data directory ${dir} is in use by process ${owner.pid}; stop that host first.`);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && !(e instanceof SyntaxError)) throw e;
  }
  await writeFile(path, JSON.stringify({ pid: process.pid, sinceMs: Date.now() }));
  openDirectories.add(dir);
}

async function releaseLock(dir: string): Promise<void> {
  openDirectories.delete(dir);
  await removeIfExists(join(dir, LOCK_FILE));
}
