/**
 * A bot's webhook: the hook id in its URL, the passphrase (stored as SHA-256), the HMAC signing key
 * (kept in the secret store) and the intake settings.
 *
 * Two documents per hook in the `hooks` container:
 * - the binding `bot-{botId}` holds the current hook id, credential hashes/names and settings; it is
 *   the single source of truth, replaced with an ETag on rotation, so the switch is atomic;
 * - the index `{hookId}` maps a hook id to its bot. An index whose binding names another hook id
 *   (rotated away) is dead: the intake answers 404 as for an id that never existed.
 *
 * The hook id is the tenant id (32 hex) followed by 128 random bits (32 hex): the tenant is needed to
 * find the documents inside the tenant's partition, the random half makes the URL unguessable.
 */
import { z } from 'zod';
import { DEFAULT_RATE_LIMIT, rateLimitSchema, type RateLimit } from './token-bucket.js';
import { ipAllowlistSchema } from './ip-allowlist.js';

export const HOOK_ID = /^[0-9a-f]{64}$/;
export const HOOK_RANDOM_BYTES = 16;
export const PASSPHRASE_PREFIX = 'ttp_';
export const SIGNING_KEY_PREFIX = 'whsec_';

export const hookIdParams = z.object({ hookId: z.string().regex(HOOK_ID) });

export const tenantOfHookId = (hookId: string): string => hookId.slice(0, 32);
export const bindingDocumentId = (botId: string): string => `bot-${botId}`;
/** Key Vault names allow 1-127 of [0-9a-zA-Z-]. */
export const signingKeySecretName = (hookId: string): string => `hook-${hookId}`;

export interface HookSettings {
  /** Accept control signals (pause, resume, and close/flat for bots whose strategy is not `signal`). */
  readonly allowControl: boolean;
  /** Refuse the body passphrase: only `X-TT-Signature` authenticates. */
  readonly requireSignature: boolean;
  /** Source addresses or CIDR ranges; empty: any. */
  readonly ipAllowlist: readonly string[];
  readonly rateLimit: RateLimit;
  /** How long after receipt a rejected signal may be replayed by its owner. */
  readonly replayWindowSeconds: number;
}

export const DEFAULT_HOOK_SETTINGS: HookSettings = {
  allowControl: false,
  requireSignature: false,
  ipAllowlist: [],
  rateLimit: DEFAULT_RATE_LIMIT,
  replayWindowSeconds: 3600,
};

/** Body of `POST /api/bots/{id}/hook` (every field optional) and `PATCH`-like updates on rotate. */
export const hookSettingsInputSchema = z.strictObject({
  allowControl: z.boolean().optional(),
  requireSignature: z.boolean().optional(),
  ipAllowlist: ipAllowlistSchema.optional(),
  rateLimit: rateLimitSchema.optional(),
  replayWindowSeconds: z.number().int('must be a whole number').min(60, 'must be at least 60').max(86_400, 'must be at most 86400').optional(),
});
export type HookSettingsInput = z.infer<typeof hookSettingsInputSchema>;

export const hookSettingsSchema: z.ZodType<HookSettings> = z.object({
  allowControl: z.boolean(),
  requireSignature: z.boolean(),
  ipAllowlist: z.array(z.string()),
  rateLimit: rateLimitSchema,
  replayWindowSeconds: z.number().int(),
});

export function applySettings(base: HookSettings, input: HookSettingsInput | undefined): HookSettings {
  if (!input) return base;
  return {
    allowControl: input.allowControl ?? base.allowControl,
    requireSignature: input.requireSignature ?? base.requireSignature,
    ipAllowlist: input.ipAllowlist ?? base.ipAllowlist,
    rateLimit: input.rateLimit ?? base.rateLimit,
    replayWindowSeconds: input.replayWindowSeconds ?? base.replayWindowSeconds,
  };
}

export interface HookBindingRecord {
  readonly kind: 'binding';
  readonly id: string;
  readonly tenantId: string;
  readonly botId: string;
  readonly hookId: string;
  /** 1 when enabled, +1 per rotation. */
  readonly revision: number;
  readonly passphraseHash: string;
  readonly signingKeySecret: string;
  readonly settings: HookSettings;
  readonly createdAtMs: number;
  readonly rotatedAtMs: number | null;
  readonly updatedAtMs: number;
}

export interface HookIndexRecord {
  readonly kind: 'hook';
  readonly id: string;
  readonly tenantId: string;
  readonly botId: string;
  readonly createdAtMs: number;
}

const tenant = z.string().regex(/^[0-9a-f]{32}$/);
const botId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const hookBindingRecordSchema: z.ZodType<HookBindingRecord> = z.object({
  kind: z.literal('binding'),
  id: z.string(),
  tenantId: tenant,
  botId,
  hookId: z.string().regex(HOOK_ID),
  revision: z.number().int().positive(),
  passphraseHash: z.string().regex(/^[0-9a-f]{64}$/),
  signingKeySecret: z.string().min(1),
  settings: hookSettingsSchema,
  createdAtMs: z.number(),
  rotatedAtMs: z.number().nullable(),
  updatedAtMs: z.number(),
});

export const hookIndexRecordSchema: z.ZodType<HookIndexRecord> = z.object({
  kind: z.literal('hook'),
  id: z.string().regex(HOOK_ID),
  tenantId: tenant,
  botId,
  createdAtMs: z.number(),
});

/** Fresh credentials; `randomBytes` is the caller's CSPRNG (crypto.randomBytes). */
export interface HookCredentials {
  readonly hookId: string;
  readonly passphrase: string;
  readonly signingKey: string;
}

export function newHookCredentials(tenantId: string, randomBytes: (n: number) => Uint8Array): HookCredentials {
  const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
  return {
    hookId: `${tenantId}${hex(randomBytes(HOOK_RANDOM_BYTES))}`,
    passphrase: `${PASSPHRASE_PREFIX}${b64(randomBytes(32))}`,
    signingKey: `${SIGNING_KEY_PREFIX}${b64(randomBytes(32))}`,
  };
}

/** What the API shows about a hook (never the passphrase or key, except once on enable/rotate). */
export interface HookView {
  readonly botId: string;
  readonly url: string;
  readonly hookIdHint: string;
  readonly revision: number;
  readonly settings: HookSettings;
  readonly createdAtMs: number;
  readonly rotatedAtMs: number | null;
  readonly etag: string;
}

export function toHookView(record: HookBindingRecord, baseUrl: string, etag: string): HookView {
  return {
    botId: record.botId,
    url: `${baseUrl}/api/hooks/${record.hookId}`,
    hookIdHint: `…${record.hookId.slice(-6)}`,
    revision: record.revision,
    settings: record.settings,
    createdAtMs: record.createdAtMs,
    rotatedAtMs: record.rotatedAtMs,
    etag,
  };
}
