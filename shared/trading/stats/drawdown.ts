/**
 * Drawdown of an equity curve: dd = 1 − equity / running peak.
 *
 * A drawdown period runs between consecutive bars where dd = 0, the last bar also closing one;
 * consecutive zero bars (no bar under water in between) form no period. This is the definition
 * backtesting.py uses (`compute_drawdown_duration_peaks`), so a drawdown that only exists on the very
 * last bar is, as there, not a period.
 */
export interface DrawdownSummary {
  /** Deepest dd as a positive fraction (0 when equity never fell below its peak). */
  readonly maxDrawdown: number;
  /** Deepest dd of each period, in order. */
  readonly periodDepths: readonly number[];
  /** Timestamp difference of each period's end and start, in ms. */
  readonly periodDurationsMs: readonly number[];
}

export function summarizeDrawdowns(equity: ArrayLike<number>, timeMs: ArrayLike<number>): DrawdownSummary {
  const n = equity.length;
  const periodDepths: number[] = [];
  const periodDurationsMs: number[] = [];
  let peak = -Infinity;
  let maxDrawdown = 0;
  let lastZero = 0;
  let deepestSinceZero = 0;
  for (let i = 0; i < n; i++) {
    const value = equity[i]!;
    if (value > peak) peak = value;
    const dd = 1 - value / peak;
    if (dd > maxDrawdown) maxDrawdown = dd;
    const closesPeriod = dd === 0 || i === n - 1;
    if (dd > deepestSinceZero) deepestSinceZero = dd;
    if (!closesPeriod) continue;
    if (i > lastZero + 1) {
      periodDepths.push(deepestSinceZero);
      periodDurationsMs.push(timeMs[i]! - timeMs[lastZero]!);
    }
    lastZero = i;
    deepestSinceZero = 0;
  }
  return { maxDrawdown, periodDepths, periodDurationsMs };
}
