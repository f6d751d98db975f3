/**
 * An exchange connection of one tenant: which venue, in which mode, and a pointer to its credentials.
 * The record never holds a secret; the credentials live in the secret store under a name derived from
 * the tenant, the connection and a credentials revision (so a rejected update never clobbers them).
 */
import { z } from 'zod';
import { appError, err, ok, type Result } from '../core/result.js';
import { CONNECTION_MODES, EXCHANGES, EXCHANGE_IDS, type ConnectionMode, type CredentialField, type ExchangeId } from './exchange-catalog.js';

export const DEFAULT_PAPER_BALANCE = { currency: 'USD', amount: 10_000 } as const;

export interface PaperSettings {
  readonly startingBalance: { readonly currency: string; readonly amount: number };
}

export type WithdrawalPermission = 'absent' | 'present' | 'not-reported' | 'not-applicable' | 'unknown';

export interface ConnectionTestResult {
  readonly status: 'passed' | 'failed';
  /** Stable code: `CONNECTION.TEST_PASSED` or the reason it failed (`EXCHANGE.AUTH_FAILED`, …). */
  readonly code: string;
  readonly message: string;
  readonly checkedAtMs: number;
  readonly withdrawalPermission: WithdrawalPermission;
  /** How many currencies the balance fetch returned with a non-zero total. */
  readonly nonZeroBalances: number | null;
}

export interface ConnectionRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly exchangeId: ExchangeId;
  readonly label: string;
  readonly mode: ConnectionMode;
  /** Masked tail of the API key (`••••abcd`), or null without credentials. */
  readonly keyHint: string | null;
  /** Names the secret-store entry holding the credentials; null for paper connections. */
  readonly credentialsRevision: string | null;
  readonly paper: PaperSettings | null;
  readonly lastTest: ConnectionTestResult | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

/** What the API returns: an explicit allow-list of fields, so a field added to the record never leaks by accident. */
export interface ConnectionView {
  readonly id: string;
  readonly exchangeId: ExchangeId;
  readonly label: string;
  readonly mode: ConnectionMode;
  readonly keyHint: string | null;
  readonly hasCredentials: boolean;
  readonly paper: PaperSettings | null;
  readonly lastTest: ConnectionTestResult | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly etag: string;
}

export type Credentials = Readonly<Partial<Record<CredentialField, string>>>;

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export function toConnectionView(record: ConnectionRecord, etag: string): ConnectionView {
  return {
    id: record.id,
    exchangeId: record.exchangeId,
    label: record.label,
    mode: record.mode,
    keyHint: record.keyHint,
    hasCredentials: record.credentialsRevision !== null,
    paper: record.paper,
    lastTest: record.lastTest,
    createdAtMs: record.createdAtMs,
    updatedAtMs: record.updatedAtMs,
    etag,
  };
}

/** The last 4 characters of the API key; nothing at all for keys too short for a hint to be safe. */
export function keyHint(apiKey: string): string {
  return apiKey.length >= 12 ? `••••${apiKey.slice(-4)}` : '••••';
}

/**
 * Cross-field rules of a connection against the catalog: the mode must be one the venue offers,
 * credentials must be exactly the fields the venue needs, paper settings only for `paper`.
 * `credentials: 'stored'` means unchanged credentials already on file.
 */
export function connectionIssues(
  exchangeId: ExchangeId,
  input: { mode: ConnectionMode; credentials: Credentials | 'stored' | undefined; paper: PaperSettings | undefined },
): FieldIssue[] {
  const info = EXCHANGES[exchangeId];
  const issues: FieldIssue[] = [];
  if (!info.modes.includes(input.mode)) {
    issues.push({ path: 'mode', message: `${info.name} supports mode ${info.modes.join(' or ')}, not ${input.mode}` });
  }
  if (input.paper !== undefined && info.kind !== 'paper') {
    issues.push({ path: 'paper', message: 'paper settings apply only to the paper exchange' });
  }
  const creds = input.credentials;
  if (info.credentials.length === 0) {
    if (creds !== undefined) issues.push({ path: 'credentials', message: `${info.name} takes no credentials` });
  } else if (creds === undefined) {
    issues.push({ path: 'credentials', message: `${info.name} needs credentials: ${info.credentials.join(', ')}` });
  } else if (creds !== 'stored') {
    for (const field of info.credentials) {
      if (!creds[field]) issues.push({ path: `credentials.${field}`, message: `${info.name} needs ${field}` });
    }
    for (const field of Object.keys(creds) as CredentialField[]) {
      if (!info.credentials.includes(field) && creds[field] !== undefined) {
        issues.push({ path: `credentials.${field}`, message: `${info.name} does not use ${field}` });
      }
    }
  }
  return issues;
}

export interface NewConnection {
  readonly exchangeId: ExchangeId;
  readonly label: string;
  readonly mode: ConnectionMode;
  readonly credentials?: Credentials | undefined;
  readonly paper?: PaperSettings | undefined;
}

export function newConnectionRecord(
  tenantId: string,
  id: string,
  input: NewConnection,
  credentialsRevision: string | null,
  nowMs: number,
): Result<ConnectionRecord> {
  const issues = connectionIssues(input.exchangeId, { mode: input.mode, credentials: input.credentials, paper: input.paper });
  if (issues.length > 0) return err(validationFailed(issues));
  const isPaper = EXCHANGES[input.exchangeId].kind === 'paper';
  return ok({
    id,
    tenantId,
    exchangeId: input.exchangeId,
    label: input.label,
    mode: input.mode,
    keyHint: input.credentials?.apiKey ? keyHint(input.credentials.apiKey) : null,
    credentialsRevision: isPaper ? null : credentialsRevision,
    paper: isPaper ? (input.paper ?? { startingBalance: { ...DEFAULT_PAPER_BALANCE } }) : null,
    lastTest: null,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
  });
}

export interface ConnectionPatch {
  readonly label?: string | undefined;
  readonly mode?: ConnectionMode | undefined;
  readonly credentials?: Credentials | undefined;
  readonly paper?: PaperSettings | undefined;
}

/**
 * Applies a PATCH. New credentials or a new mode invalidate the last test: a test result must
 * describe the credentials and mode it was made with.
 */
export function applyConnectionPatch(
  record: ConnectionRecord,
  patch: ConnectionPatch,
  newCredentialsRevision: string | null,
  nowMs: number,
): Result<ConnectionRecord> {
  const mode = patch.mode ?? record.mode;
  const issues = connectionIssues(record.exchangeId, {
    mode,
    credentials: patch.credentials ?? (record.credentialsRevision === null ? undefined : 'stored'),
    paper: patch.paper,
  });
  if (issues.length > 0) return err(validationFailed(issues));
  const credentialsChanged = patch.credentials !== undefined;
  return ok({
    ...record,
    label: patch.label ?? record.label,
    mode,
    keyHint: credentialsChanged && patch.credentials?.apiKey ? keyHint(patch.credentials.apiKey) : record.keyHint,
    credentialsRevision: credentialsChanged ? newCredentialsRevision : record.credentialsRevision,
    paper: patch.paper ?? record.paper,
    lastTest: credentialsChanged || mode !== record.mode ? null : record.lastTest,
    updatedAtMs: nowMs,
  });
}

export function withTestResult(record: ConnectionRecord, result: ConnectionTestResult): ConnectionRecord {
  return { ...record, lastTest: result };
}

export function validationFailed(issues: readonly FieldIssue[]): ReturnType<typeof appError> {
  return appError('VALIDATION.FAILED', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

const testResultSchema = z.object({
  status: z.enum(['passed', 'failed']),
  code: z.string(),
  message: z.string(),
  checkedAtMs: z.number(),
  withdrawalPermission: z.enum(['absent', 'present', 'not-reported', 'not-applicable', 'unknown']),
  nonZeroBalances: z.number().nullable(),
});

/** Shape of a stored record, checked when it is read back (the store is a boundary too); strips system fields. */
export const connectionRecordSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  exchangeId: z.enum(EXCHANGE_IDS),
  label: z.string(),
  mode: z.enum(CONNECTION_MODES),
  keyHint: z.string().nullable(),
  credentialsRevision: z.string().nullable(),
  paper: z.object({ startingBalance: z.object({ currency: z.string(), amount: z.number() }) }).nullable(),
  lastTest: testResultSchema.nullable(),
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
}) satisfies z.ZodType<ConnectionRecord>;
