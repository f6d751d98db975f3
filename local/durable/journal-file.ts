/**
 * Journal line format and file helpers. A line is `<crc32 hex> <json>\n`; reading stops at the first
 * line that is incomplete, fails its checksum or does not validate. Records are appended in groups,
 * each group one write plus one fdatasync, and nothing in a group is acknowledged before that
 * fdatasync returns: so anything after the first bad line belongs to a write that never completed
 * and was never acknowledged, and dropping it loses nothing a client was promised.
 */
import { crc32 } from 'node:zlib';
import { open, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { journalRecordSchema, type JournalRecord } from './durable-records.js';

const JOURNAL_PATTERN = /^journal-(\d{8})\.log$/;

export function journalFileName(generation: number): string {
  return `journal-${String(generation).padStart(8, '0')}.log`;
}

export function encodeJournalLine(record: JournalRecord): string {
  const json = JSON.stringify(record);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

export interface JournalReadResult {
  readonly records: JournalRecord[];
  /** Byte length of the valid prefix; anything after it is a torn or corrupt tail. */
  readonly validBytes: number;
  readonly totalBytes: number;
  readonly problem: string | undefined;
}

export function decodeJournal(content: Buffer): JournalReadResult {
  const records: JournalRecord[] = [];
  let offset = 0;
  while (offset < content.length) {
    const end = content.indexOf(0x0a, offset);
    if (end < 0) return { records, validBytes: offset, totalBytes: content.length, problem: 'incomplete last line' };
    const line = content.subarray(offset, end).toString('utf8');
    const problem = decodeLine(line, records);
    if (problem) return { records, validBytes: offset, totalBytes: content.length, problem };
    offset = end + 1;
  }
  return { records, validBytes: offset, totalBytes: content.length, problem: undefined };
}

function decodeLine(line: string, into: JournalRecord[]): string | undefined {
  const space = line.indexOf(' ');
  if (space !== 8) return 'malformed line';
  const json = line.slice(9);
  if (Number.parseInt(line.slice(0, 8), 16) !== crc32(json)) return 'checksum mismatch';
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return 'invalid JSON';
  }
  const parsed = journalRecordSchema.safeParse(value);
  if (!parsed.success) return `invalid record (${parsed.error.issues[0]?.message ?? 'unknown'})`;
  into.push(parsed.data);
  return undefined;
}

export async function readJournal(path: string): Promise<JournalReadResult> {
  return decodeJournal(await readFile(path));
}

export async function listJournalGenerations(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names
    .map((n) => JOURNAL_PATTERN.exec(n)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written, null);
    written += bytesWritten;
  }
}

/** Makes a rename or a new file's directory entry durable (POSIX needs an fsync of the directory). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** write tmp → fsync → rename → fsync dir: a reader sees the old file or the new one, never a mix. */
export async function writeFileAtomic(dir: string, name: string, data: string): Promise<void> {
  const tmp = join(dir, `${name}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    await writeAll(handle, Buffer.from(data, 'utf8'));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, join(dir, name));
  await syncDirectory(dir);
}

export async function removeIfExists(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
