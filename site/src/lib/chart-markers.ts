/** Trade markers for the price chart: each trade's entry and exit on the chart point that holds its bar. */
import type { Trade } from '../../../shared/schemas/backtest-views.js';

/** Index of the first point at or after `timeMs` (the bucket that holds that bar). */
export function pointIndex(timeMs: readonly number[], t: number): number {
  let lo = 0;
  let hi = timeMs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (timeMs[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface MarkerSeries {
  readonly longEntry: (number | null)[];
  readonly shortEntry: (number | null)[];
  readonly exit: (number | null)[];
}

export function markerSeries(timeMs: readonly number[], trades: readonly Trade[], openTrades: readonly Trade[]): MarkerSeries {
  const n = timeMs.length;
  const m: MarkerSeries = { longEntry: new Array<number | null>(n).fill(null), shortEntry: new Array<number | null>(n).fill(null), exit: new Array<number | null>(n).fill(null) };
  if (n === 0) return m;
  for (const t of [...trades, ...openTrades]) {
    (t.side === 'long' ? m.longEntry : m.shortEntry)[pointIndex(timeMs, t.entryTimeMs)] = t.entryPrice;
    if (t.exitReason !== 'open') m.exit[pointIndex(timeMs, t.exitTimeMs)] = t.exitPrice;
  }
  return m;
}

