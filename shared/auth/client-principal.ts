/**
 * The signed-in user as Static Web Apps passes it: `x-ms-client-principal`, base64 JSON. SWA sets the
 * header itself (clients cannot supply it through SWA), so the Function App must only be reachable
 * through SWA; see docs/security.md.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { appError, err, ok, type Result } from '../core/result.js';

export const CLIENT_PRINCIPAL_HEADER = 'x-ms-client-principal';
const MAX_HEADER_CHARS = 16 * 1024;

export interface ClientPrincipal {
  readonly identityProvider: string;
  readonly userId: string;
  readonly userDetails: string;
  readonly userRoles: readonly string[];
}

const principalSchema = z.object({
  identityProvider: z.string().trim().min(1).max(64),
  userId: z.string().trim().min(1).max(256),
  userDetails: z.string().max(512).default(''),
  userRoles: z.array(z.string().max(128)).max(64).default([]),
});

export function parseClientPrincipal(header: string | null | undefined): Result<ClientPrincipal> {
  if (header === null || header === undefined || header === '') return err(appError('AUTH.REQUIRED', 'Sign in, or send an API token as Authorization: Bearer.'));
  const invalid = err(appError('AUTH.INVALID_PRINCIPAL', 'The client principal header is malformed.'));
  if (header.length > MAX_HEADER_CHARS || !/^[A-Za-z0-9+/=_-]+$/.test(header)) return invalid;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return invalid;
  }
  const parsed = principalSchema.safeParse(decoded);
  if (!parsed.success) return invalid;
  // SWA gives every signed-in user the "authenticated" role; a principal without it is not a tenant.
  if (!parsed.data.userRoles.includes('authenticated')) return invalid;
  return ok(parsed.data);
}

/**
 * Stable tenant id from provider + user id: 32 hex chars (fits Key Vault names and entity keys).
 * The provider is lower-cased because SWA spells it inconsistently across surfaces ("aad"/"AAD").
 */
export function tenantIdFor(principal: Pick<ClientPrincipal, 'identityProvider' | 'userId'>): string {
  // JSON encoding keeps the two parts apart whatever characters they contain.
  const input = JSON.stringify(['tradingtower-tenant', principal.identityProvider.toLowerCase(), principal.userId]);
  return createHash('sha256').update(input).digest('hex').slice(0, 32);
}

export const TENANT_ID_PATTERN = /^[0-9a-f]{32}$/;

/** Encodes a principal the way SWA does (used by tests and local tooling). */
export function encodeClientPrincipal(principal: ClientPrincipal): string {
  return Buffer.from(JSON.stringify(principal), 'utf8').toString('base64');
}
