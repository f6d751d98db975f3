/**
 * Splits argv into flags before zod sees them. Accepts `--name value` and `--name=value`; boolean
 * flags take no value; repeatable flags collect every occurrence. Anything else is a usage error.
 */
import { appError, err, ok, type Result } from '../core/result.js';

export const CLI_INVALID_ARGS = 'CLI.INVALID_ARGS';

export type FlagKind = 'value' | 'repeated' | 'boolean';
export type FlagSpecs = Readonly<Record<string, FlagKind>>;
export type FlagValues = Record<string, string | string[] | true>;

function usageError(message: string): Result<never> {
  return err(appError(CLI_INVALID_ARGS, message));
}

/** Nearest known flag by edit distance, for "did you mean" hints. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

export function tokenizeArgs(argv: readonly string[], specs: FlagSpecs): Result<FlagValues> {
  const values: FlagValues = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('--') || token === '--') {
      return usageError(`unexpected argument "${token}"; options start with --`);
    }
    const equals = token.indexOf('=');
    const name = token.slice(2, equals < 0 ? undefined : equals);
    const kind = specs[name];
    if (kind === undefined) {
      const hint = closest(name, Object.keys(specs));
      return usageError(`unknown option --${name}${hint === undefined ? '' : `; did you mean --${hint}?`}`);
    }
    if (kind === 'boolean') {
      if (equals >= 0) return usageError(`--${name} takes no value`);
      values[name] = true;
      continue;
    }
    let value: string;
    if (equals >= 0) {
      value = token.slice(equals + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) return usageError(`--${name} needs a value`);
      value = next;
      i++;
    }
    if (kind === 'repeated') {
      const list = values[name];
      values[name] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      if (values[name] !== undefined) return usageError(`--${name} given more than once`);
      values[name] = value;
    }
  }
  return ok(values);
}
