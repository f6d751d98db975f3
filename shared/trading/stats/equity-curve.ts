/**
 * Everything the statistics need from the equity curve, in one pass over the bars (statistics run
 * after every optimizer backtest, so they must cost little next to the backtest itself).
 *
 * - Drawdown dd = 1 − equity / running peak. A drawdown period runs between consecutive bars where
 *   dd = 0, the last bar also closing one; consecutive zero bars form no period. This is
 *   backtesting.py's `compute_drawdown_duration_peaks`, so as there a drawdown that exists only on the
 *   very last bar is not a period.
 * - Daily returns: equity at each UTC calendar day's last bar, percentage change, first one dropped.
 *   Day boundaries are found by searching the sorted timestamps, so the day arithmetic runs once per
 *   day and most timestamps are never read.
 */
const DAY_MS = 86_400_000;

export interface EquityCurveSummary {
  readonly peak: number;
  /** Deepest dd as a positive fraction (0 when equity never fell below its peak). */
  readonly maxDrawdown: number;
  /** Deepest dd of each drawdown period, in order. */
  readonly periodDepths: readonly number[];
  /** End time − start time of each period, in ms. */
  readonly periodDurationsMs: readonly number[];
  readonly dailyReturns: readonly number[];
  /** Bars that fall on a Saturday or Sunday (UTC). */
  readonly weekendBars: number;
}

/** 1970-01-01 was a Thursday; Monday = 0 as in pandas. */
function isWeekendDay(epochDay: number): boolean {
  return (((epochDay + 3) % 7) + 7) % 7 >= 5;
}

/**
 * Index after the last bar of the UTC day that bar `start` is in: galloping then binary search, so the
 * timestamps of most bars are never read (bars are sorted; an out-of-order bar starts a new "day").
 */
function endOfDay(timeMs: ArrayLike<number>, start: number, n: number): number {
  const first = timeMs[start]!;
  const dayEndMs = (Math.floor(first / DAY_MS) + 1) * DAY_MS;
  const sameDay = (k: number): boolean => {
    const t = timeMs[k]!;
    return t < dayEndMs && t >= first;
  };
  let hi = start + 1;
  let step = 1;
  while (hi < n && sameDay(hi)) {
    hi = start + (step *= 2);
    if (hi >= n) hi = n;
  }
  let lo = start + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sameDay(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function summarizeEquityCurve(equity: ArrayLike<number>, timeMs: ArrayLike<number>): EquityCurveSummary {
  const n = equity.length;
  const periodDepths: number[] = [];
  const periodDurationsMs: number[] = [];
  const dailyReturns: number[] = [];
  let peak = -Infinity;
  let maxDrawdown = 0;
  let lastZero = 0;
  // Within a drawdown period the peak is constant, so its deepest dd is 1 − (lowest equity) / peak:
  // division is monotonic, and this keeps the per-bar work to comparisons.
  let lowest = Infinity;
  // Below this, equity / peak cannot round to 1, so dd is certainly > 0 (see the exact check below).
  let surelyUnderwater = -Infinity;
  let weekendBars = 0;
  let previousDayClose = NaN;
  for (let start = 0; start < n; ) {
    const end = endOfDay(timeMs, start, n);
    if (isWeekendDay(Math.floor(timeMs[start]! / DAY_MS))) weekendBars += end - start;
    for (let i = start; i < end; i++) {
      const value = equity[i]!;
      // dd = 1 − value / peak is 0 when value ≥ peak, or when value / peak rounds to 1.
      const atPeak = value >= peak || (value > surelyUnderwater && 1 - value / peak === 0);
      if (!atPeak && value < lowest) lowest = value;
      if (atPeak || i === n - 1) {
        if (lowest !== Infinity) {
          const deepest = 1 - lowest / peak; // `peak` is still this period's peak here
          if (deepest > maxDrawdown) maxDrawdown = deepest;
          if (i > lastZero + 1) {
            periodDepths.push(deepest);
            periodDurationsMs.push(timeMs[i]! - timeMs[lastZero]!);
          }
        }
        lastZero = i;
        lowest = Infinity;
      }
      if (value >= peak) {
        peak = value;
        surelyUnderwater = value * (1 - 1e-12);
      }
    }
    const dayClose = equity[end - 1]!;
    if (!Number.isNaN(previousDayClose)) dailyReturns.push(dayClose / previousDayClose - 1);
    previousDayClose = dayClose;
    start = end;
  }
  return { peak, maxDrawdown, periodDepths, periodDurationsMs, dailyReturns, weekendBars };
}
