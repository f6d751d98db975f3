/**
 * Entity keys of the execution layer. Bot and account keys embed the tenant, so no operation can
 * reach another tenant's entity by id alone; market keys name public market data.
 */
import { appError, err, ok, type Result } from '../core/result.js';

const TENANT = /^[0-9a-f]{32}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export const botEntityKey = (tenantId: string, botId: string): string => `${tenantId}:${botId}`;
export const accountEntityKey = (tenantId: string, connectionId: string): string => `${tenantId}:${connectionId}`;

export interface TenantScopedKey {
  readonly tenantId: string;
  readonly id: string;
}

/** Splits `{tenantId}:{id}`; a malformed key is an error value (entity inputs are a boundary). */
export function parseTenantKey(key: string): Result<TenantScopedKey> {
  const at = key.indexOf(':');
  const tenantId = key.slice(0, at);
  const id = key.slice(at + 1);
  if (at < 0 || !TENANT.test(tenantId) || !ID.test(id)) {
    return err(appError('ENTITY.INVALID_KEY', `"${key}" is not {tenantId}:{id} (32 hex, then 1-64 of A-Z a-z 0-9 _ -).`));
  }
  return ok({ tenantId, id });
}
