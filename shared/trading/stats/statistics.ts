/**
 * Backtest statistics (docs/backtesting.md has every definition). They follow backtesting.py's
 * `compute_stats` so results compare one-to-one with that established tool; the few places where the
 * issue's definitions differ from some of its versions are noted in the docs. Anything undefined
 * (no trades, no drawdown, a zero denominator, a non-finite result) is `null`.
 */
import type { Statistics, Trade } from '../backtest/backtest-types.js';
import { summarizeEquityCurve } from './equity-curve.js';
import { annualTradingDays, geometricMeanReturn, meanSquaredNegative, sampleVariance } from './return-math.js';
import { summarizeTrades } from './trade-statistics.js';

const DAY_MS = 86_400_000;
const DAYS_PER_YEAR = 365.25;

export interface StatisticsInput {
  /** Equity at each bar's close. */
  readonly equity: ArrayLike<number>;
  readonly timeMs: ArrayLike<number>;
  /** Closing prices, for buy & hold. */
  readonly close: ArrayLike<number>;
  /** Closed trades only; positions still open at the end are in the equity, not here. */
  readonly trades: readonly Trade[];
  readonly initialCash: number;
  /** First bar where all the strategy's indicators are defined: buy & hold starts at its close. */
  readonly buyHoldStartIndex: number;
}

export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function computeStatistics(input: StatisticsInput): Statistics {
  const { equity, timeMs, close, trades, initialCash } = input;
  const n = equity.length;
  const tradeStats = summarizeTrades(trades, n);
  if (n === 0) {
    return {
      ...emptyCurveStatistics(initialCash),
      ...tradeStats,
      exposurePct: null,
    };
  }

  const equityStart = equity[0]!;
  const equityFinal = equity[n - 1]!;

  // Past the last bar the indicators were never all defined: there is no buy & hold to compare with.
  const start = Math.max(0, Math.trunc(input.buyHoldStartIndex));
  const buyHold = start < n ? (close[n - 1]! - close[start]!) / close[start]! : NaN;

  const curve = summarizeEquityCurve(equity, timeMs);
  const returns = curve.dailyReturns;
  const periods = annualTradingDays(curve.weekendBars, n);
  const g = geometricMeanReturn(returns);
  const growth = 1 + g;
  const returnAnn = growth ** periods - 1;
  const volatilityAnn = Math.sqrt((sampleVariance(returns) + growth * growth) ** periods - growth ** (2 * periods));
  const downside = Math.sqrt(meanSquaredNegative(returns)) * Math.sqrt(periods);

  const years = (timeMs[n - 1]! - timeMs[0]!) / DAY_MS / DAYS_PER_YEAR;
  const cagr = years > 0 ? (equityFinal / initialCash) ** (1 / years) - 1 : NaN;

  const equityPeak = curve.peak;
  const maxDd = curve.maxDrawdown;
  const depths = curve.periodDepths;
  let depthSum = 0;
  for (const depth of depths) depthSum += depth;
  let longestMs = -Infinity;
  for (const duration of curve.periodDurationsMs) if (duration > longestMs) longestMs = duration;

  const returnAnnPct = returnAnn * 100;
  const volatilityAnnPct = volatilityAnn * 100;
  return {
    trades: tradeStats.trades,
    equityFinal,
    equityPeak,
    returnPct: ((equityFinal - equityStart) / equityStart) * 100,
    buyHoldReturnPct: finiteOrNull(buyHold * 100),
    returnAnnPct: finiteOrNull(returnAnnPct),
    volatilityAnnPct: finiteOrNull(volatilityAnnPct),
    cagrPct: finiteOrNull(cagr * 100),
    sharpe: volatilityAnnPct === 0 ? null : finiteOrNull(returnAnnPct / volatilityAnnPct),
    sortino: finiteOrNull(returnAnn / downside),
    calmar: maxDd === 0 ? null : finiteOrNull(returnAnn / maxDd),
    maxDrawdownPct: maxDd === 0 ? 0 : finiteOrNull(-maxDd * 100),
    avgDrawdownPct: depths.length === 0 ? null : finiteOrNull((-depthSum / depths.length) * 100),
    maxDrawdownDurationDays: depths.length === 0 ? null : finiteOrNull(longestMs / DAY_MS),
    winRatePct: tradeStats.winRatePct,
    bestTradePct: tradeStats.bestTradePct,
    worstTradePct: tradeStats.worstTradePct,
    avgTradePct: tradeStats.avgTradePct,
    profitFactor: tradeStats.profitFactor,
    expectancyPct: tradeStats.expectancyPct,
    sqn: tradeStats.sqn,
    kelly: tradeStats.kelly,
    exposurePct: tradeStats.exposurePct,
  };
}

function emptyCurveStatistics(initialCash: number): Statistics {
  return {
    trades: 0,
    equityFinal: initialCash,
    equityPeak: initialCash,
    returnPct: 0,
    buyHoldReturnPct: null,
    returnAnnPct: null,
    volatilityAnnPct: null,
    cagrPct: null,
    sharpe: null,
    sortino: null,
    calmar: null,
    maxDrawdownPct: null,
    avgDrawdownPct: null,
    maxDrawdownDurationDays: null,
    winRatePct: null,
    bestTradePct: null,
    worstTradePct: null,
    avgTradePct: null,
    profitFactor: null,
    expectancyPct: null,
    sqn: null,
    kelly: null,
    exposurePct: null,
  };
}
