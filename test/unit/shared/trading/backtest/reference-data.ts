/** Loads the reference CSVs in ../shared/data (header `,Open,High,Low,Close,Volume`) for tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BarSeries } from '../../../../../shared/trading/types.js';

export const REFERENCE_DATA_DIR = join(__dirname, '../../../../../../shared/data');

/** Timestamps without a zone are UTC, like the CLI reads them. */
export function loadReferenceSeries(name: 'GOOG' | 'EURUSD' | 'BTCUSD'): BarSeries {
  const lines = readFileSync(join(REFERENCE_DATA_DIR, `${name}.csv`), 'utf8').trim().split('\n').slice(1);
  const n = lines.length;
  const series = {
    length: n,
    timeMs: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  lines.forEach((line, i) => {
    const [time, open, high, low, close, volume] = line.split(',');
    const iso = time!.length === 10 ? `${time}T00:00:00Z` : `${time!.replace(' ', 'T')}Z`;
    series.timeMs[i] = Date.parse(iso);
    series.open[i] = Number(open);
    series.high[i] = Number(high);
    series.low[i] = Number(low);
    series.close[i] = Number(close);
    series.volume[i] = Number(volume);
  });
  return series;
}
