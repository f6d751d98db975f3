/**
 * What the durable runtime writes to disk: journal records (one JSON line each) and the snapshot
 * that compaction writes. Both are validated with zod when read back, because a file on disk is a
 * boundary like any other.
 */
import { z } from 'zod';

const pendingSignalSchema = z.object({
  seq: z.number().int().positive(),
  name: z.string().min(1),
  key: z.string().min(1),
  op: z.string(),
  /** JSON text of the operation input; absent when there is none. */
  input: z.string().optional(),
  atMs: z.number(),
});
export type PendingSignal = z.infer<typeof pendingSignalSchema>;

/** A signal accepted from a client (HTTP API or programmatic); acknowledged only once durable. */
const signalRecordSchema = z.object({ t: z.literal('signal'), signal: pendingSignalSchema });

/**
 * One processed batch of one entity, written as a single line so that the operations it consumed,
 * the state they produced and the signals they emitted become durable together or not at all.
 */
const batchRecordSchema = z.object({
  t: z.literal('batch'),
  name: z.string().min(1),
  key: z.string().min(1),
  consumed: z.array(z.number().int().positive()),
  exists: z.boolean(),
  state: z.string().optional(),
  lastOperationMs: z.number(),
  emitted: z.array(pendingSignalSchema),
});

export const journalRecordSchema = z.discriminatedUnion('t', [signalRecordSchema, batchRecordSchema]);
export type JournalRecord = z.infer<typeof journalRecordSchema>;
export type SignalRecord = z.infer<typeof signalRecordSchema>;
export type BatchRecord = z.infer<typeof batchRecordSchema>;

const snapshotEntitySchema = z.object({
  name: z.string().min(1),
  key: z.string().min(1),
  state: z.string().optional(),
  lastOperationMs: z.number(),
});

export const snapshotSchema = z.object({
  format: z.literal('tradingtower-durable-snapshot'),
  version: z.literal(1),
  /** Journals numbered at or above this generation are replayed on top of the snapshot. */
  generation: z.number().int().nonnegative(),
  nextSeq: z.number().int().positive(),
  writtenAtMs: z.number(),
  entities: z.array(snapshotEntitySchema),
  /** Accepted, not yet processed signals, in the order they will be processed. */
  pending: z.array(pendingSignalSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;
export type SnapshotBody = Omit<Snapshot, 'format' | 'version' | 'generation' | 'writtenAtMs'>;
