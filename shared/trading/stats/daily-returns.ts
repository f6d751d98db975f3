/**
 * Daily returns of an equity curve and the annualization factor, as docs/backtesting.md defines them:
 * equity at each UTC calendar day's last bar, percentage change, first (undefined) one dropped.
 */
const DAY_MS = 86_400_000;

/** Equity at the last bar of each UTC calendar day that has bars, in order. */
export function dailyCloses(equity: ArrayLike<number>, timeMs: ArrayLike<number>): number[] {
  const out: number[] = [];
  const n = equity.length;
  for (let i = 0; i < n; i++) {
    const isLastOfDay = i === n - 1 || Math.floor(timeMs[i + 1]! / DAY_MS) !== Math.floor(timeMs[i]! / DAY_MS);
    if (isLastOfDay) out.push(equity[i]!);
  }
  return out;
}

export function dailyReturns(equity: ArrayLike<number>, timeMs: ArrayLike<number>): number[] {
  const closes = dailyCloses(equity, timeMs);
  const out: number[] = [];
  for (let k = 1; k < closes.length; k++) out.push(closes[k]! / closes[k - 1]! - 1);
  return out;
}

/** 1970-01-01 was a Thursday; Monday = 0 as in pandas. */
function utcDayOfWeek(timeMs: number): number {
  return (((Math.floor(timeMs / DAY_MS) + 3) % 7) + 7) % 7;
}

/**
 * Periods per year: 365 when more than 60 % of the expected 2/7 of bars fall on weekends (markets
 * that trade every day), else 252.
 */
export function annualTradingDays(timeMs: ArrayLike<number>): number {
  const n = timeMs.length;
  if (n === 0) return 252;
  let weekend = 0;
  for (let i = 0; i < n; i++) if (utcDayOfWeek(timeMs[i]!) >= 5) weekend++;
  return weekend / n > (2 / 7) * 0.6 ? 365 : 252;
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
