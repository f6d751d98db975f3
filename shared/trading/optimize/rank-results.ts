/** Orders optimizer runs by a metric, deterministically. */
import type { Statistics } from '../backtest/backtest-types.js';
import { metricDirection, metricValue, type OptimizeMetric } from './optimize-metric.js';

export interface RunOutcome<P = Record<string, unknown>> {
  /** Position of the combination in the expanded grid. */
  readonly index: number;
  readonly params: P;
  readonly stats: Statistics;
}

/**
 * Best first. Runs whose metric is undefined (null) come last; ties keep grid order, so the ranking
 * does not depend on which worker finished first.
 */
export function rankByMetric<P>(outcomes: readonly RunOutcome<P>[], metric: OptimizeMetric): RunOutcome<P>[] {
  const sign = metricDirection(metric) === 'max' ? -1 : 1;
  return [...outcomes].sort((a, b) => {
    const va = metricValue(a.stats, metric);
    const vb = metricValue(b.stats, metric);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
      return a.index - b.index;
    }
    if (va !== vb) return va > vb ? sign : -sign;
    return a.index - b.index;
  });
}
