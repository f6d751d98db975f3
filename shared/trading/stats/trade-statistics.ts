/** Per-trade statistics: win rate, best/worst/average trade, profit factor, expectancy, SQN, Kelly, exposure. */
import type { Statistics, Trade } from '../backtest/backtest-types.js';
import { geometricMeanReturn } from './daily-returns.js';

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

/** Bars covered by at least one trade, entry bar to exit bar inclusive (difference array: O(bars + trades)). */
function barsInMarket(trades: readonly Trade[], barCount: number): number {
  const delta = new Int32Array(barCount + 1);
  for (const trade of trades) {
    const from = Math.max(0, trade.entryBar);
    const to = Math.min(barCount - 1, trade.exitBar);
    if (to < from) continue;
    delta[from]!++;
    delta[to + 1]!--;
  }
  let open = 0;
  let covered = 0;
  for (let i = 0; i < barCount; i++) {
    open += delta[i]!;
    if (open > 0) covered++;
  }
  return covered;
}
