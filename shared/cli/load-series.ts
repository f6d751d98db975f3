/** Reads an OHLCV CSV file through the streaming parser (the file is never held whole in memory). */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { appError, err, type Result } from '../core/result.js';
import { OhlcvCsvParser } from '../trading/csv/ohlcv-csv-parser.js';
import type { BarSeries } from '../trading/types.js';
import { describeFsError } from '../adapters/fs-error-text.js';

export const CLI_FILE_UNREADABLE = 'CLI.FILE_UNREADABLE';

const BYTES_PER_ROW_ESTIMATE = 48;

export async function loadSeries(filePath: string): Promise<Result<BarSeries>> {
  let size: number;
  try {
    const info = await stat(filePath);
    if (info.isDirectory()) return err(appError(CLI_FILE_UNREADABLE, `cannot read ${filePath}: it is a directory`));
    size = info.size;
  } catch (error) {
    return err(appError(CLI_FILE_UNREADABLE, `cannot read ${filePath}: ${describeFsError(error)}`));
  }
  const parser = new OhlcvCsvParser(filePath, size / BYTES_PER_ROW_ESTIMATE + 16);
  const stream = createReadStream(filePath, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      if (!parser.push(chunk as string)) break;
    }
  } catch (error) {
    return err(appError(CLI_FILE_UNREADABLE, `cannot read ${filePath}: ${describeFsError(error)}`));
  } finally {
    stream.destroy();
  }
  return parser.finish();
}
