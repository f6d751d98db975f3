/** Zero-copy views of part of a series, for walk-forward windows. */
import type { BarSeries } from '../types.js';
import type { BarRange } from './walk-forward.js';

export function sliceSeries(series: BarSeries, range: BarRange): BarSeries {
  const { start, end } = range;
  if (start === 0 && end === series.length) return series;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= series.length && start <= end)) {
    throw new RangeError(`bar range [${start}, ${end}) is outside the series of ${series.length} bars`);
  }
  return {
    length: end - start,
    timeMs: series.timeMs.subarray(start, end),
    open: series.open.subarray(start, end),
    high: series.high.subarray(start, end),
    low: series.low.subarray(start, end),
    close: series.close.subarray(start, end),
    volume: series.volume.subarray(start, end),
  };
}
