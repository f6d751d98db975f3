/**
 * Reads the OHLCV CSV a sim replay market plays (SIM_REPLAY): the path is taken as given, so a
 * relative one resolves against the process's working directory. Parsed with the backtester's CSV
 * parser, so the accepted format and the `<file>:<line>: <reason>` messages are the same.
 */
import { readFileSync } from 'node:fs';
import { appError, err, type Result } from '../../core/result.js';
import { parseOhlcvCsv } from '../../trading/csv/ohlcv-csv-parser.js';
import type { BarSeries } from '../../trading/types.js';

export const REPLAY_FILE_UNREADABLE = 'SIM.REPLAY_FILE_UNREADABLE';

export function readReplayCsv(path: string): Result<BarSeries> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return err(appError(REPLAY_FILE_UNREADABLE, `cannot read ${path}: ${describeFsError(error)}`));
  }
  return parseOhlcvCsv(text, path);
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
