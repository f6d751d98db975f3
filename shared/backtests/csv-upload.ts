/**
 * An uploaded CSV body → bars, through the CLI's streaming parser (same rules, same messages), fed
 * in 1 MB slices decoded as UTF-8 so the text is never held twice.
 */
import { appError, err, type Result } from '../core/result.js';
import { MAX_BACKTEST_BARS } from '../schemas/backtest-views.js';
import { OhlcvCsvParser } from '../trading/csv/ohlcv-csv-parser.js';
import type { BarSeries } from '../trading/types.js';

export const CSV_UPLOAD_INVALID = 'VALIDATION.CSV_INVALID';
const SLICE_BYTES = 1 << 20;
const BYTES_PER_ROW_ESTIMATE = 48;

const invalid = (message: string) => err(appError(CSV_UPLOAD_INVALID, message, [{ path: 'data', message }]));

export function parseCsvUpload(bytes: Uint8Array, fileName: string, maxBars = MAX_BACKTEST_BARS): Result<BarSeries> {
  if (bytes.length === 0) return invalid(`${fileName}: the upload is empty; send the CSV as the request body`);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = new OhlcvCsvParser(fileName, bytes.length / BYTES_PER_ROW_ESTIMATE + 16);
  try {
    for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
      const end = Math.min(bytes.length, at + SLICE_BYTES);
      if (!parser.push(decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length }))) break;
    }
  } catch {
    return invalid(`${fileName}: the upload is not UTF-8 text`);
  }
  const series = parser.finish();
  if (!series.ok) return invalid(series.error.message);
  if (series.value.length > maxBars) return invalid(`${fileName}: ${series.value.length} bars; a run reads at most ${maxBars}`);
  return series;
}
