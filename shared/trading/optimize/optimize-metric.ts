/** Which statistic the optimizer maximises (or minimises) and how results are ordered by it. */
import { STATISTICS_KEYS, type Statistics } from '../backtest/backtest-types.js';

export type OptimizeMetric = (typeof STATISTICS_KEYS)[number];

/** Lower is better for these; every other statistic is better when higher (drawdowns are negative). */
const LOWER_IS_BETTER: ReadonlySet<OptimizeMetric> = new Set(['volatilityAnnPct', 'maxDrawdownDurationDays']);

export const OPTIMIZE_METRICS: readonly OptimizeMetric[] = STATISTICS_KEYS;

export function isOptimizeMetric(name: string): name is OptimizeMetric {
  return (STATISTICS_KEYS as readonly string[]).includes(name);
}

export function metricDirection(metric: OptimizeMetric): 'max' | 'min' {
  return LOWER_IS_BETTER.has(metric) ? 'min' : 'max';
}

/** The metric's value, or null when the run left it undefined (no trades, flat equity, NaN). */
export function metricValue(stats: Statistics, metric: OptimizeMetric): number | null {
  const value = stats[metric];
  return typeof value === 'number' && !Number.isNaN(value) ? value : null;
}
