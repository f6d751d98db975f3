/**
 * Reads the OHLCV CSV a sim replay market plays (SIM_REPLAY): the path is taken as given, so a
 * relative one resolves against the process's working directory. Parsed with the backtester's CSV
 * parser, so the accepted format and the `<file>:<line>: <reason>` messages are the same.
 */
import { readFileSync } from 'node:fs';
import { appError, err, type Result } from '../../core/result.js';
import { parseOhlcvCsv } from '../../trading/csv/ohlcv-csv-parser.js';
import type { BarSeries } from '../../trading/types.js';
import { describeFsError } from '../fs-error-text.js';

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

