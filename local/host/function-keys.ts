/**
 * Function keys for `authLevel: function|admin`. Generated once per data directory and persisted,
 * like the Functions host's own key store, so scripts keep working across restarts.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const keyFileSchema = z.object({ functionKey: z.string().min(32), masterKey: z.string().min(32) });
export type FunctionKeys = z.infer<typeof keyFileSchema>;

export function loadOrCreateFunctionKeys(dataDir: string): FunctionKeys & { created: boolean } {
  const file = join(dataDir, 'function-keys.json');
  if (existsSync(file)) {
    const parsed = keyFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return { ...parsed.data, created: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const keys = { functionKey: randomBytes(32).toString('base64url'), masterKey: randomBytes(32).toString('base64url') };
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return { ...keys, created: true };
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export type AuthLevel = 'anonymous' | 'function' | 'admin';

/** True when the presented key satisfies the level: admin needs the master key, function either key. */
export function isAuthorized(level: AuthLevel, presented: string | undefined, keys: FunctionKeys): boolean {
  if (level === 'anonymous') return true;
  if (!presented) return false;
  if (safeEqual(presented, keys.masterKey)) return true;
  return level === 'function' && safeEqual(presented, keys.functionKey);
}
