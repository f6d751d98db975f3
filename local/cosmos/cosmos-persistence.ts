/**
 * Makes the in-memory Cosmos emulator durable. Layout of the persistence directory:
 *
 *   snapshot.jsonl   header, one `put`/`cnt` record per stored resource, trailer (written to
 *                    `snapshot.jsonl.tmp`, fsynced, renamed: a snapshot is complete or absent)
 *   wal/NNNNNNNNNN.wal  changes after the snapshot, in order (segments >= the snapshot's `fromSegment`)
 *
 * Start: load the snapshot, replay the segments (a torn tail of the newest one is cut off: it was
 * never acknowledged), open a new segment. Every change the server makes is appended to the WAL;
 * the HTTP layer acknowledges a request only after `whenDurable()`. Compaction writes a new snapshot
 * when the WAL outgrows the live data, then deletes the segments it covers.
 */
import { existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountInternals, ResourceKind, ResourceSet } from './cosmosdb-server-internals.js';
import { changeToRecord, encodeRecord, type SnapshotHeader, type StateRecord } from './persisted-record.js';
import { closeFd, datasync, fsyncDirectory, readRecordFile, writeAll } from './record-file.js';
import { listSegments, segmentFileName, WriteAheadLog } from './write-ahead-log.js';

export interface CosmosPersistenceOptions {
  readonly dir: string;
  /** `false` only for benchmarks: without fdatasync a power loss or kernel crash can lose acknowledged writes. */
  readonly fsync?: boolean;
  /** Compact once the WAL holds more than max(this, size of the last snapshot) bytes. Default 16 MiB. */
  readonly compactMinWalBytes?: number;
  readonly log?: (message: string) => void;
}

export interface RestoreStats {
  readonly snapshotRecords: number;
  readonly walRecords: number;
  readonly walSegments: number;
  /** Bytes cut from the newest segment's torn tail (writes that were never acknowledged). */
  readonly tornTailBytes: number;
  /** Records whose database or container no longer exists (harmless; counted for diagnostics). */
  readonly orphanRecords: number;
  readonly durationMs: number;
}

const SNAPSHOT_FILE = 'snapshot.jsonl';
const SNAPSHOT_TMP = 'snapshot.jsonl.tmp';
const WAL_DIR = 'wal';
const DEFAULT_COMPACT_MIN_WAL_BYTES = 16 * 1024 * 1024;
const CLOSE_COMPACT_MIN_WAL_BYTES = 4 * 1024 * 1024;
const SNAPSHOT_CHUNK_RECORDS = 2000;

export class CosmosPersistence {
  readonly restoreStats: RestoreStats;
  private readonly wal: WriteAheadLog;
  private compacting: Promise<void> | null = null;
  private compactCheckScheduled = false;
  private snapshotBytes: number;
  private closed = false;

  private constructor(
    private readonly account: AccountInternals,
    private readonly options: CosmosPersistenceOptions,
    restored: { stats: RestoreStats; nextSegment: number; snapshotBytes: number },
  ) {
    this.restoreStats = restored.stats;
    this.snapshotBytes = restored.snapshotBytes;
    this.wal = new WriteAheadLog({ dir: join(options.dir, WAL_DIR), segment: restored.nextSegment, fsync: options.fsync ?? true });
    account.onChange = (change) => {
      this.wal.append(changeToRecord(change));
      this.scheduleCompactionCheck();
    };
  }

  /** Restores the account from disk (synchronously, before it serves requests) and starts logging its changes. */
  static open(account: AccountInternals, options: CosmosPersistenceOptions): CosmosPersistence {
    return new CosmosPersistence(account, options, restore(account, options.dir));
  }

  /** Set once a write or fsync failed: in-memory state may then be ahead of the disk. */
  get failure(): Error | null {
    return this.wal.error;
  }

  whenDurable(): Promise<void> {
    return this.wal.whenDurable();
  }

  /** Writes a snapshot of the current state and drops the WAL segments it covers. */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting;
    this.compacting = this.writeSnapshot().finally(() => {
      this.compacting = null;
    });
    return this.compacting;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.account.onChange = undefined;
    await this.compacting;
    // Keeps the next start short: it loads a snapshot instead of replaying history.
    if (!this.wal.error && this.wal.bytesSinceRotation > CLOSE_COMPACT_MIN_WAL_BYTES) await this.compact();
    await this.wal.close();
  }

  private async writeSnapshot(): Promise<void> {
    const started = performance.now();
    // Same tick: the captured state is exactly the records before the rotation point.
    const fromSegment = this.wal.rotate();
    const records = captureAccount(this.account);
    const header: SnapshotHeader = { o: 'snapshot', format: 1, fromSegment, createdAtMs: Date.now() };
    this.snapshotBytes = await writeSnapshotFile(this.options.dir, header, records, this.options.fsync ?? true);
    const deleted = this.wal.deleteSegmentsBelow(fromSegment);
    this.options.log?.(
      `compacted: snapshot of ${records.length} records (${(this.snapshotBytes / 1048576).toFixed(1)} MiB) in ` +
        `${(performance.now() - started).toFixed(0)} ms, ${deleted} WAL segment(s) dropped`,
    );
  }

  private scheduleCompactionCheck(): void {
    if (this.compactCheckScheduled) return;
    this.compactCheckScheduled = true;
    setImmediate(() => {
      this.compactCheckScheduled = false;
      const threshold = Math.max(this.options.compactMinWalBytes ?? DEFAULT_COMPACT_MIN_WAL_BYTES, this.snapshotBytes);
      if (!this.closed && !this.compacting && this.wal.bytesSinceRotation > threshold) {
        this.compact().catch((e: unknown) => this.options.log?.(`compaction failed (the WAL keeps everything): ${String(e)}`));
      }
    });
  }
}

function restore(account: AccountInternals, dir: string): { stats: RestoreStats; nextSegment: number; snapshotBytes: number } {
  const started = performance.now();
  const walDir = join(dir, WAL_DIR);
  mkdirSync(walDir, { recursive: true });
  rmSync(join(dir, SNAPSHOT_TMP), { force: true });

  let fromSegment = 0;
  let snapshotRecords = 0;
  let snapshotBytes = 0;
  let orphanRecords = 0;
  const snapshotPath = join(dir, SNAPSHOT_FILE);
  if (existsSync(snapshotPath)) {
    const file = readRecordFile(snapshotPath);
    const [header] = file.records;
    const trailer = file.records[file.records.length - 1];
    if (file.firstBad || header?.o !== 'snapshot' || trailer?.o !== 'end' || trailer.records !== file.records.length - 2) {
      throw new Error(`corrupt Cosmos snapshot ${snapshotPath}${file.firstBad ? ` at byte ${file.firstBad.offset}: ${file.firstBad.reason}` : ''}`);
    }
    fromSegment = header.fromSegment;
    for (const record of file.records.slice(1, -1)) {
      if (record.o !== 'put' && record.o !== 'cnt') throw new Error(`corrupt Cosmos snapshot ${snapshotPath}: unexpected ${record.o} record`);
      if (!applyRecord(account, record)) orphanRecords += 1;
    }
    snapshotRecords = file.records.length - 2;
    snapshotBytes = file.sizeBytes;
  }

  const segments = listSegments(walDir);
  for (const stale of segments.filter((n) => n < fromSegment)) rmSync(join(walDir, segmentFileName(stale)));
  const live = segments.filter((n) => n >= fromSegment);
  let walRecords = 0;
  let tornTailBytes = 0;
  live.forEach((segment, i) => {
    const path = join(walDir, segmentFileName(segment));
    const file = readRecordFile(path);
    if (file.firstBad) {
      // Only the newest segment can end in a torn write: older ones were fsynced before rotation.
      if (i !== live.length - 1) throw new Error(`corrupt Cosmos WAL segment ${path} at byte ${file.firstBad.offset}: ${file.firstBad.reason}`);
      tornTailBytes = file.sizeBytes - file.validBytes;
      truncateSync(path, file.validBytes);
    }
    for (const record of file.records) {
      if (record.o !== 'put' && record.o !== 'del') throw new Error(`corrupt Cosmos WAL segment ${path}: unexpected ${record.o} record`);
      if (!applyRecord(account, record)) orphanRecords += 1;
    }
    walRecords += file.records.length;
    // Starts without writes would otherwise leave one empty segment each.
    if (file.records.length === 0) rmSync(path);
  });

  const lastSegment = live[live.length - 1];
  return {
    stats: { snapshotRecords, walRecords, walSegments: live.length, tornTailBytes, orphanRecords, durationMs: performance.now() - started },
    nextSegment: Math.max(fromSegment, lastSegment === undefined ? 1 : lastSegment + 1),
    snapshotBytes,
  };
}

/** The resource set a record belongs to, or undefined when its database/container is gone. */
function resourceSet(account: AccountInternals, kind: ResourceKind, path: readonly string[]): ResourceSet | undefined {
  const [dbId, collId] = path;
  if (kind === 'dbs') return account.databases;
  if (dbId === undefined) return undefined;
  const database = account.database(dbId);
  if (!database.read()) return undefined;
  if (kind === 'colls') return database.collections;
  if (collId === undefined) return undefined;
  const container = database.collection(collId);
  if (!container.read()) return undefined;
  return kind === 'docs' ? container.documents : container.userDefinedFunctions;
}

function applyRecord(account: AccountInternals, record: StateRecord): boolean {
  const set = resourceSet(account, record.k, record.p);
  if (!set) return false;
  if (record.o === 'put') set._restore(record.d, record.n);
  else if (record.o === 'del') set._restoreDelete(record.r);
  else set._ridCount = Math.max(set._ridCount, record.n);
  return true;
}

/** Every stored resource as records, parents before children. Synchronous: a consistent cut. */
export function captureAccount(account: AccountInternals): StateRecord[] {
  const records: StateRecord[] = [];
  const addSet = (k: ResourceKind, p: readonly string[], set: ResourceSet): readonly string[] => {
    records.push({ o: 'cnt', k, p, n: set._ridCount });
    const ids: string[] = [];
    for (const d of set._rowSnapshot()) {
      records.push({ o: 'put', k, p, n: set._ridCount, d });
      ids.push(d.id);
    }
    return ids;
  };
  for (const dbId of addSet('dbs', [], account.databases)) {
    const database = account.database(dbId);
    for (const collId of addSet('colls', [dbId], database.collections)) {
      const container = database.collection(collId);
      addSet('udfs', [dbId, collId], container.userDefinedFunctions);
      addSet('docs', [dbId, collId], container.documents);
    }
  }
  return records;
}

async function writeSnapshotFile(dir: string, header: SnapshotHeader, records: readonly StateRecord[], fsync: boolean): Promise<number> {
  const tmp = join(dir, SNAPSHOT_TMP);
  const fd = openSync(tmp, 'w');
  try {
    let chunk: string[] = [encodeRecord(header)];
    for (const record of records) {
      chunk.push(encodeRecord(record));
      if (chunk.length >= SNAPSHOT_CHUNK_RECORDS) {
        // Each await lets requests run: the captured records are immutable objects.
        await writeAll(fd, Buffer.from(chunk.join(''), 'utf8'));
        chunk = [];
      }
    }
    chunk.push(encodeRecord({ o: 'end', records: records.length }));
    await writeAll(fd, Buffer.from(chunk.join(''), 'utf8'));
    if (fsync) await datasync(fd);
  } finally {
    await closeFd(fd);
  }
  renameSync(tmp, join(dir, SNAPSHOT_FILE));
  fsyncDirectory(dir);
  return statSync(join(dir, SNAPSHOT_FILE)).size;
}
