/**
 * Append-only write-ahead log in numbered segment files (`0000000001.wal`, …) with group commit:
 * `append` only queues (it runs inside the server's synchronous mutation), one writer loop writes
 * everything queued so far in one `write` + `fdatasync`, and `whenDurable()` resolves once every
 * record appended before the call is on disk. Concurrent requests therefore share fsyncs.
 *
 * `rotate()` switches later appends to a new segment; records queued before it still land in the
 * old one. Compaction uses that boundary: a snapshot taken in the same tick as `rotate()` holds
 * exactly the records of the older segments, which can then be deleted.
 */
import { closeSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { encodeRecord, type PersistedRecord } from './persisted-record.js';
import { closeFd, datasync, fsyncDirectory, writeAll } from './record-file.js';

const SEGMENT_PATTERN = /^(\d{10})\.wal$/;

export const segmentFileName = (segment: number): string => `${String(segment).padStart(10, '0')}.wal`;

/** Segment numbers present in `dir`, ascending. */
export function listSegments(dir: string): number[] {
  return readdirSync(dir)
    .map((name) => SEGMENT_PATTERN.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

interface Waiter {
  readonly upTo: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

interface RotateMarker {
  readonly rotateTo: number;
}

export interface WriteAheadLogOptions {
  readonly dir: string;
  /** Number of the (new) segment file to write first. */
  readonly segment: number;
  /** `false` only for benchmarks: writes without fdatasync are not crash-safe. */
  readonly fsync?: boolean;
}

export class WriteAheadLog {
  private readonly dir: string;
  private readonly fsync: boolean;
  private queue: Array<string | RotateMarker> = [];
  private appended = 0;
  private durable = 0;
  private waiters: Waiter[] = [];
  private writer: Promise<void> | null = null;
  private fd: number;
  private failure: Error | null = null;
  private closed = false;
  /** Includes rotations still queued behind unwritten records. */
  private latestSegment: number;
  private bytesInSegment = 0;

  constructor(options: WriteAheadLogOptions) {
    this.dir = options.dir;
    this.fsync = options.fsync ?? true;
    this.latestSegment = options.segment;
    this.fd = this.openSegment(options.segment);
  }

  /** The segment later appends go to. */
  get segment(): number {
    return this.latestSegment;
  }

  /** Approximate bytes appended since the last rotation (compaction policy input). */
  get bytesSinceRotation(): number {
    return this.bytesInSegment;
  }

  get error(): Error | null {
    return this.failure;
  }

  append(record: PersistedRecord): void {
    if (this.closed) throw new Error('write-ahead log is closed');
    const line = encodeRecord(record);
    this.queue.push(line);
    this.appended += 1;
    this.bytesInSegment += line.length;
    this.startWriter();
  }

  /** Resolves when everything appended so far is on disk; rejects if the log failed. */
  whenDurable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.durable >= this.appended) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ upTo: this.appended, resolve, reject });
      this.startWriter();
    });
  }

  /** Later appends go to a new segment; returns its number. */
  rotate(): number {
    this.latestSegment += 1;
    const next = this.latestSegment;
    this.queue.push({ rotateTo: next });
    this.bytesInSegment = 0;
    this.startWriter();
    return next;
  }

  /** Deletes segment files older than `segment` (they are covered by a durable snapshot). */
  deleteSegmentsBelow(segment: number): number {
    const old = listSegments(this.dir).filter((n) => n < segment);
    for (const n of old) unlinkSync(join(this.dir, segmentFileName(n)));
    if (old.length > 0) fsyncDirectory(this.dir);
    return old.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.whenDurable();
      await this.writer;
    } finally {
      this.closed = true;
      closeSync(this.fd);
    }
  }

  private openSegment(segment: number): number {
    // 'wx': a segment is never reopened for append, so a torn tail of an older run stays behind us.
    const fd = openSync(join(this.dir, segmentFileName(segment)), 'wx');
    fsyncDirectory(this.dir);
    return fd;
  }

  private startWriter(): void {
    if (this.writer || this.failure) return;
    // Start on a microtask so all records appended by the current request form one batch.
    this.writer = Promise.resolve()
      .then(() => this.drain())
      .catch((e: unknown) => this.fail(e instanceof Error ? e : new Error(String(e))))
      .finally(() => {
        this.writer = null;
        if (this.queue.length > 0 && !this.failure) this.startWriter();
      });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      let lines: string[] = [];
      for (const item of batch) {
        if (typeof item === 'string') {
          lines.push(item);
          continue;
        }
        await this.writeLines(lines);
        lines = [];
        const previous = this.fd;
        this.fd = this.openSegment(item.rotateTo);
        await closeFd(previous);
      }
      await this.writeLines(lines);
    }
  }

  private async writeLines(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    await writeAll(this.fd, Buffer.from(lines.join(''), 'utf8'));
    if (this.fsync) await datasync(this.fd);
    this.durable += lines.length;
    this.releaseWaiters();
  }

  private releaseWaiters(): void {
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.upTo <= this.durable) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const w of this.waiters) w.reject(error);
    this.waiters = [];
  }
}
