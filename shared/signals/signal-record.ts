/**
 * The signal log: every request that reached a known hook, accepted or not, with where it came from,
 * when, how long the intake took, what became of it and why. Rejected signals keep their payload
 * (without the passphrase) when they were authenticated, so their owner can replay them once the
 * cause is fixed.
 */
import { z } from 'zod';
import { signalOrderSchema, type SignalOrder } from '../bots/signal-order.js';
import type { FieldError, SignalFormat } from './signal-payload.js';

export const SIGNAL_OUTCOMES = ['accepted', 'duplicate', 'rejected'] as const;
export type SignalOutcome = (typeof SIGNAL_OUTCOMES)[number];

export const SIGNAL_ID = /^s[0-9a-z]{9}[0-9a-f]{16}$/;
export const signalIdParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), signalId: z.string().regex(SIGNAL_ID) });

/** Time-ordered ids: 9 base-36 digits of the receive time, then 64 random bits. */
export function newSignalId(receivedAtMs: number, randomHex16: string): string {
  return `s${Math.max(0, Math.floor(receivedAtMs)).toString(36).padStart(9, '0').slice(-9)}${randomHex16}`;
}

export type StoredPayload = { readonly kind: 'json'; readonly value: unknown } | { readonly kind: 'text'; readonly text: string };

export interface ReplayMark {
  readonly atMs: number;
  readonly by: string;
  /** The signal the replay created. */
  readonly signalId: string;
}

export interface SignalRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly botId: string;
  readonly hookRevision: number;
  readonly receivedAtMs: number;
  /** Receipt to answer (or to hand-off for accepted signals), milliseconds. */
  readonly latencyMs: number;
  readonly sourceAddress: string | null;
  readonly bytes: number;
  readonly format: SignalFormat | null;
  readonly auth: 'passphrase' | 'signature' | 'owner' | null;
  readonly outcome: SignalOutcome;
  readonly httpStatus: number;
  readonly code: string | null;
  readonly reason: string;
  readonly details: readonly FieldError[] | null;
  readonly order: SignalOrder | null;
  readonly ticker: string | null;
  /** The alert's `id`, when it had one. */
  readonly alertId: string | null;
  readonly timestampMs: number | null;
  /** SHA-256 idempotency key (of the alert id, else of the body); null before authentication. */
  readonly keyHash: string | null;
  readonly duplicateOf: string | null;
  readonly test: boolean;
  /** This signal is the replay of another. */
  readonly replayOf: string | null;
  /** This (rejected) signal was replayed. */
  readonly replayed: ReplayMark | null;
  /** Until when the owner may replay it; null: not replayable (accepted, unauthenticated or malformed). */
  readonly replayableUntilMs: number | null;
  /** Same-kind rejections not logged separately since the previous entry (floods are sampled). */
  readonly suppressed: number;
  readonly payload: StoredPayload | null;
}

const fieldError = z.object({ path: z.string(), message: z.string() });

export const signalRecordSchema: z.ZodType<SignalRecord> = z.object({
  id: z.string(),
  tenantId: z.string(),
  botId: z.string(),
  hookRevision: z.number().int(),
  receivedAtMs: z.number(),
  latencyMs: z.number(),
  sourceAddress: z.string().nullable(),
  bytes: z.number().int(),
  format: z.enum(['json', 'text', '3commas']).nullable(),
  auth: z.enum(['passphrase', 'signature', 'owner']).nullable(),
  outcome: z.enum(SIGNAL_OUTCOMES),
  httpStatus: z.number().int(),
  code: z.string().nullable(),
  reason: z.string(),
  details: z.array(fieldError).nullable(),
  order: signalOrderSchema.nullable(),
  ticker: z.string().nullable(),
  alertId: z.string().nullable(),
  timestampMs: z.number().nullable(),
  keyHash: z.string().nullable(),
  duplicateOf: z.string().nullable(),
  test: z.boolean(),
  replayOf: z.string().nullable(),
  replayed: z.object({ atMs: z.number(), by: z.string(), signalId: z.string() }).nullable(),
  replayableUntilMs: z.number().nullable(),
  suppressed: z.number().int(),
  payload: z.union([z.object({ kind: z.literal('json'), value: z.unknown() }), z.object({ kind: z.literal('text'), text: z.string() })]).nullable(),
});

/** The API's view: the record without the tenant and key hash, the payload as sent (minus the passphrase). */
export type SignalView = Omit<SignalRecord, 'tenantId' | 'keyHash'>;

export function toSignalView(record: SignalRecord): SignalView {
  const { tenantId: _tenant, keyHash: _key, ...view } = record;
  return view;
}

export const signalListQuerySchema = z.strictObject({
  limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(50),
  continuation: z.string().min(1).max(8192).regex(/^[A-Za-z0-9_-]+$/, 'must be a continuation token returned by the previous page').optional(),
  outcome: z.enum(SIGNAL_OUTCOMES, { error: `must be one of ${SIGNAL_OUTCOMES.join(', ')}` }).optional(),
});
