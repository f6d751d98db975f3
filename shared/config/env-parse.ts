/**
 * Env config is parsed once at start with zod. A bad or missing value fails with a list of every
 * problem so an operator fixes them all in one go; nothing starts half-configured.
 */
import type { z } from 'zod';
import { appError, err, ok, type Result } from '../core/result.js';

export function parseEnv<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv, deployable: string): Result<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const raw = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
    const shown = raw === undefined ? 'not set' : looksSecret(name) ? 'value hidden' : `got "${raw.slice(0, 80)}"`;
    return `${name}: ${issue.message} (${shown})`;
  });
  return err(appError('CONFIG.INVALID', `Invalid ${deployable} configuration:\n  - ${problems.join('\n  - ')}`, problems));
}

function looksSecret(name: string): boolean {
  return /KEY|SECRET|TOKEN|PASSWORD|CONNECTION/i.test(name);
}

/** Exits the process with every problem listed when the config does not parse. */
export function loadConfigOrExit<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv, deployable: string): T {
  const result = parseEnv(schema, env, deployable);
  if (result.ok) return result.value;
  process.stderr.write(`${result.error.message}\n`);
  process.exit(2);
}
