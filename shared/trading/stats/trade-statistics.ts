/** Per-trade statistics: win rate, best/worst/average trade, profit factor, expectancy, SQN, Kelly, exposure. */
import type { Statistics, Trade } from '../backtest/backtest-types.js';
import { geometricMeanReturn } from './return-math.js';

export type TradeStatistics = Pick<
  Statistics,
  'trades' | 'winRatePct' | 'bestTradePct' | 'worstTradePct' | 'avgTradePct' | 'profitFactor' | 'expectancyPct' | 'sqn' | 'kelly' | 'exposurePct'
>;

const orNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** `barCount` is the length of the equity curve the trades belong to (for exposure). */
export function summarizeTrades(trades: readonly Trade[], barCount: number): TradeStatistics {
  const n = trades.length;
  let wins = 0;
  let best = -Infinity;
  let worst = Infinity;
  let returnSum = 0;
  let positiveReturnSum = 0;
  let negativeReturnSum = 0;
  let pnlSum = 0;
  let winPnlSum = 0;
  let lossPnlSum = 0;
  let losses = 0;
  const returns: number[] = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const trade = trades[k]!;
    const r = trade.returnFraction;
    const pnl = trade.pnl;
    returns[k] = r;
    if (r > best) best = r;
    if (r < worst) worst = r;
    returnSum += r;
    if (r > 0) positiveReturnSum += r;
    else if (r < 0) negativeReturnSum += r;
    pnlSum += pnl;
    if (pnl > 0) {
      wins++;
      winPnlSum += pnl;
    } else if (pnl < 0) {
      losses++;
      lossPnlSum += pnl;
    }
  }
  const meanPnl = pnlSum / n;
  let pnlSquares = 0;
  for (const trade of trades) pnlSquares += (trade.pnl - meanPnl) * (trade.pnl - meanPnl);
  const pnlStd = Math.sqrt(pnlSquares / (n - 1));
  const winRate = wins / n;
  const payoff = winPnlSum / wins / (-lossPnlSum / losses);

  return {
    trades: n,
    winRatePct: orNull(winRate * 100),
    bestTradePct: orNull(best * 100),
    worstTradePct: orNull(worst * 100),
    avgTradePct: orNull(geometricMeanReturn(returns) * 100),
    profitFactor: negativeReturnSum === 0 ? null : orNull(positiveReturnSum / -negativeReturnSum),
    expectancyPct: orNull((returnSum / n) * 100),
    sqn: pnlStd === 0 ? null : orNull((Math.sqrt(n) * meanPnl) / pnlStd),
    kelly: orNull(winRate - (1 - winRate) / payoff),
    exposurePct: barCount === 0 ? null : (barsInMarket(trades, barCount) / barCount) * 100,
  };
}

/** Bars covered by at least one trade, entry bar to exit bar inclusive: the union of the intervals. */
function barsInMarket(trades: readonly Trade[], barCount: number): number {
  const n = trades.length;
  if (n === 0) return 0;
  // Trades are recorded in exit order; entries are usually (FIFO: always) ascending already.
  let sorted = true;
  for (let k = 1; k < n && sorted; k++) sorted = trades[k]!.entryBar >= trades[k - 1]!.entryBar;
  const ordered = sorted ? trades : [...trades].sort((a, b) => a.entryBar - b.entryBar);
  let covered = 0;
  let runStart = -1;
  let runEnd = -2;
  for (let k = 0; k < n; k++) {
    const trade = ordered[k]!;
    const from = Math.max(0, trade.entryBar);
    const to = Math.min(barCount - 1, trade.exitBar);
    if (to < from) continue;
    if (from > runEnd + 1) {
      covered += runEnd - runStart + 1;
      runStart = from;
      runEnd = to;
    } else if (to > runEnd) {
      runEnd = to;
    }
  }
  return covered + (runEnd - runStart + 1);
}
