/** Small numeric helpers of the statistics, with the conventions of docs/backtesting.md. */

/**
 * Periods per year: 365 when more than 60 % of the expected 2/7 of bars fall on weekends (markets
 * that trade every day), else 252.
 */
export function annualTradingDays(weekendBars: number, barCount: number): number {
  return barCount > 0 && weekendBars / barCount > (2 / 7) * 0.6 ? 365 : 252;
}

/**
 * Geometric mean return: exp(mean(log(1 + r))) − 1, and 0 when any 1 + r ≤ 0 (a total loss makes
 * the log undefined; established tools report 0 there rather than NaN). NaN for an empty series.
 */
export function geometricMeanReturn(returns: readonly number[]): number {
  let logSum = 0;
  for (const r of returns) {
    const growth = r + 1;
    if (growth <= 0) return 0;
    logSum += Math.log(growth);
  }
  return Math.exp(logSum / returns.length) - 1;
}

/** Sample variance (n − 1), two-pass; NaN for fewer than two values. */
export function sampleVariance(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return squares / (n - 1);
}

/** mean(min(r, 0)²): the square of the downside deviation. NaN when empty. */
export function meanSquaredNegative(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) if (v < 0) sum += v * v;
  return sum / values.length;
}
