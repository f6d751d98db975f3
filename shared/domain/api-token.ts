/** Personal API tokens: scripts act as their tenant with a subset of scopes until the token expires. */
import { z } from 'zod';

export const TOKEN_SCOPES = ['read', 'trade'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Keeps a leaked session from minting an unbounded number of long-lived tokens. */
export const MAX_ACTIVE_TOKENS_PER_TENANT = 25;
export const MAX_TOKEN_LIFETIME_DAYS = 365;
export const DEFAULT_TOKEN_LIFETIME_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ApiTokenRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly scopes: readonly TokenScope[];
  /** SHA-256 (hex) of the whole token; the token itself is shown once and never stored. */
  readonly tokenHash: string;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
}

export interface ApiTokenView {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly TokenScope[];
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly expired: boolean;
}

export function newApiTokenRecord(
  input: { id: string; tenantId: string; name: string; scopes: readonly TokenScope[]; tokenHash: string; lifetimeDays: number },
  nowMs: number,
): ApiTokenRecord {
  const scopes = TOKEN_SCOPES.filter((s) => input.scopes.includes(s));
  return {
    id: input.id,
    tenantId: input.tenantId,
    name: input.name,
    scopes,
    tokenHash: input.tokenHash,
    createdAtMs: nowMs,
    expiresAtMs: nowMs + input.lifetimeDays * DAY_MS,
  };
}

export const isTokenExpired = (record: Pick<ApiTokenRecord, 'expiresAtMs'>, nowMs: number): boolean => nowMs >= record.expiresAtMs;

export function toApiTokenView(record: ApiTokenRecord, nowMs: number): ApiTokenView {
  return {
    id: record.id,
    name: record.name,
    scopes: record.scopes,
    createdAtMs: record.createdAtMs,
    expiresAtMs: record.expiresAtMs,
    expired: isTokenExpired(record, nowMs),
  };
}

export const hasScope = (granted: readonly TokenScope[], required: TokenScope): boolean => granted.includes(required);

export const apiTokenRecordSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  tokenHash: z.string(),
  createdAtMs: z.number(),
  expiresAtMs: z.number(),
}) satisfies z.ZodType<ApiTokenRecord>;
