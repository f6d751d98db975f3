/**
 * Wildcard group patterns of the service's pattern roles (`webpubsub.joinLeaveGroups.{pattern}`,
 * `webpubsub.sendToGroups.{pattern}`): `?` one character except `.`, `*` any run without `.`,
 * `**` any run including `.`, `\` escapes `\`, `*`, `?`; at most five `*` in a pattern.
 */
import { appError, err, ok, type Result } from '../../shared/core/result.js';

export const MAX_PATTERN_STARS = 5;

export function compileGroupPattern(pattern: string): Result<RegExp> {
  let source = '';
  let stars = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next !== '\\' && next !== '*' && next !== '?') {
        return err(appError('WPS.PATTERN_INVALID', `pattern ${pattern}: "\\" must escape \\, * or ?`));
      }
      source += escapeRegExp(next);
      i++;
    } else if (ch === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        stars += 2;
        i++;
      } else {
        source += '[^.]*';
        stars += 1;
      }
    } else if (ch === '?') {
      source += '[^.]';
    } else {
      source += escapeRegExp(ch);
    }
  }
  if (stars > MAX_PATTERN_STARS) return err(appError('WPS.PATTERN_INVALID', `pattern ${pattern} has more than ${MAX_PATTERN_STARS} "*"`));
  // `s` so `.*` (from `**`) also spans any newline a group name might contain.
  return ok(new RegExp(`^${source}$`, 's'));
}

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}
