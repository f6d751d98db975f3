/** Reading record files (WAL segments, snapshots) line by line, and the write/fsync helpers both need. */
import { close, closeSync, fdatasync, fsyncSync, openSync, readFileSync, write } from 'node:fs';
import { decodeRecord, type PersistedRecord } from './persisted-record.js';

export interface RecordFileContents {
  readonly records: PersistedRecord[];
  /** Bytes up to the end of the last good line. */
  readonly validBytes: number;
  readonly sizeBytes: number;
  /** The first line that is torn (no newline), fails its checksum or is not a record; reading stops there. */
  readonly firstBad?: { readonly offset: number; readonly reason: string };
}

const NEWLINE = 0x0a;

export function readRecordFile(path: string): RecordFileContents {
  const buf = readFileSync(path);
  const records: PersistedRecord[] = [];
  let start = 0;
  while (start < buf.length) {
    const end = buf.indexOf(NEWLINE, start);
    if (end < 0) return { records, validBytes: start, sizeBytes: buf.length, firstBad: { offset: start, reason: 'torn line (no newline)' } };
    const decoded = decodeRecord(buf.toString('utf8', start, end));
    if (!decoded.ok) return { records, validBytes: start, sizeBytes: buf.length, firstBad: { offset: start, reason: decoded.reason } };
    records.push(decoded.record);
    start = end + 1;
  }
  return { records, validBytes: start, sizeBytes: buf.length };
}

/** Makes a directory entry change (create, rename, delete) durable. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes the whole buffer at the file position (loops over short writes). */
export function writeAll(fd: number, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number): void => {
      write(fd, buf, offset, buf.length - offset, null, (e, written) => {
        if (e) reject(e);
        else if (offset + written < buf.length) step(offset + written);
        else resolve();
      });
    };
    step(0);
  });
}

export function datasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));
}

export function closeFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => close(fd, (e) => (e ? reject(e) : resolve())));
}
