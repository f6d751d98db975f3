/**
 * The records of the write-ahead log and the snapshot, one per line: `<crc32 hex> <json>\n`.
 * Records are physical (the whole stored resource with `_rid`, `_etag`, `_ts`), so replaying them
 * restores exactly what clients saw, and replaying one twice is harmless.
 */
import * as zlib from 'node:zlib';
import { z } from 'zod';
import type { ResourceChange, ResourceKind, StoredResource } from './cosmosdb-server-internals.js';

const kind = z.enum(['dbs', 'colls', 'docs', 'udfs']);
const path = z.array(z.string()).max(2);
// Checked for shape only, without zod copying every document (restores of 100k documents are
// startup time); the parsed JSON object itself is restored, so key order stays as stored.
const resource = z.custom<StoredResource>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as StoredResource).id === 'string' && typeof (v as StoredResource)._rid === 'string' && (v as StoredResource)._rid !== '',
  { message: 'must be a stored resource with id and _rid' },
);

export const putRecordSchema = z.object({ o: z.literal('put'), k: kind, p: path, n: z.number().int().nonnegative(), d: resource });
export const deleteRecordSchema = z.object({ o: z.literal('del'), k: kind, p: path, r: z.string().min(1) });
/** Snapshot only: the resource-id counter of one (possibly empty) collection of resources. */
export const counterRecordSchema = z.object({ o: z.literal('cnt'), k: kind, p: path, n: z.number().int().nonnegative() });
export const snapshotHeaderSchema = z.object({
  o: z.literal('snapshot'),
  format: z.literal(1),
  /** The first WAL segment that is not part of this snapshot. */
  fromSegment: z.number().int().nonnegative(),
  createdAtMs: z.number().int().nonnegative(),
});
export const snapshotTrailerSchema = z.object({ o: z.literal('end'), records: z.number().int().nonnegative() });

const anyRecordSchema = z.discriminatedUnion('o', [putRecordSchema, deleteRecordSchema, counterRecordSchema, snapshotHeaderSchema, snapshotTrailerSchema]);

export interface PutRecord {
  readonly o: 'put';
  readonly k: ResourceKind;
  readonly p: readonly string[];
  readonly n: number;
  readonly d: StoredResource;
}
export interface DeleteRecord {
  readonly o: 'del';
  readonly k: ResourceKind;
  readonly p: readonly string[];
  readonly r: string;
}
export interface CounterRecord {
  readonly o: 'cnt';
  readonly k: ResourceKind;
  readonly p: readonly string[];
  readonly n: number;
}
export type SnapshotHeader = z.infer<typeof snapshotHeaderSchema>;
export type SnapshotTrailer = z.infer<typeof snapshotTrailerSchema>;
/** What changes state when applied. */
export type StateRecord = PutRecord | DeleteRecord | CounterRecord;
export type PersistedRecord = StateRecord | SnapshotHeader | SnapshotTrailer;

export function changeToRecord(change: ResourceChange): PutRecord | DeleteRecord {
  return change.type === 'put'
    ? { o: 'put', k: change.kind, p: change.path, n: change.ridCount, d: change.data }
    : { o: 'del', k: change.kind, p: change.path, r: change.data._rid };
}

const crc32: (data: string) => number =
  typeof zlib.crc32 === 'function' ? (data) => zlib.crc32(data) : crc32Fallback;

/** Node < 20.15 has no zlib.crc32. */
function crc32Fallback(data: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(data, 'utf8')) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function encodeRecord(record: PersistedRecord): string {
  const json = JSON.stringify(record);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

export type DecodeResult = { readonly ok: true; readonly record: PersistedRecord } | { readonly ok: false; readonly reason: string };

/** Decodes one line (without its newline). A checksum or shape mismatch means a torn or corrupt line. */
export function decodeRecord(line: string): DecodeResult {
  if (line.length < 10 || line[8] !== ' ') return { ok: false, reason: 'not a record line' };
  const json = line.slice(9);
  const checksum = line.slice(0, 8);
  if (!/^[0-9a-f]{8}$/.test(checksum) || Number.parseInt(checksum, 16) !== crc32(json)) {
    return { ok: false, reason: 'checksum mismatch' };
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'invalid JSON' };
  }
  const parsed = anyRecordSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: `unexpected record: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  // The validated JSON itself, not zod's copy: stored resources keep their key order.
  return { ok: true, record: value as PersistedRecord };
}
