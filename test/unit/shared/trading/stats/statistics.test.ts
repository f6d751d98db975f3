/** Statistics on small hand-made equity curves and trade lists; the arithmetic is in the comments. */
import type { Trade } from '../../../../../shared/trading/backtest/backtest-types.js';
import { STATISTICS_KEYS } from '../../../../../shared/trading/backtest/backtest-types.js';
import type { StatisticsInput } from '../../../../../shared/trading/stats/statistics.js';
import { computeStatistics } from '../../../../../shared/trading/stats/statistics.js';

const DAY_MS = 86_400_000;
const MONDAY_MS = Date.UTC(2024, 0, 1);

/** One value per weekday (Monday to Friday, then the next Monday …), unless `times` is given. */
function input(equity: number[], overrides: Partial<StatisticsInput> = {}): StatisticsInput {
  const weekdays: number[] = [];
  for (let day = 0; weekdays.length < equity.length; day++) if (day % 7 < 5) weekdays.push(MONDAY_MS + day * DAY_MS);
  return {
    equity: Float64Array.from(equity),
    timeMs: Float64Array.from(weekdays),
    close: Float64Array.from(equity),
    trades: [],
    initialCash: equity[0] ?? 100,
    buyHoldStartIndex: 0,
    ...overrides,
  };
}

function trade(pnl: number, returnFraction: number, entryBar = 0, exitBar = 0): Trade {
  return {
    side: 'long', quantity: 1, entryBar, entryTimeMs: 0, entryPrice: 1, exitBar, exitTimeMs: 0, exitPrice: 1,
    entryFee: 0, exitFee: 0, pnl, returnFraction, exitReason: 'test',
  };
}

describe('computeStatistics', () => {
  it('returns every statistics key', () => {
    expect(Object.keys(computeStatistics(input([100, 101]))).sort()).toEqual([...STATISTICS_KEYS].sort());
  });

  describe('drawdowns', () => {
    // dd: 0, 0, 0.1, 0.2, 0, 0, 0.1, 0 → periods bars 1→4 (deepest 0.2, 3 days) and 5→7 (0.1, 2 days).
    const stats = computeStatistics(input([100, 110, 99, 88, 110, 120, 108, 120]));

    it('reports the deepest drawdown as a negative percentage', () => {
      expect(stats.maxDrawdownPct).toBeCloseTo(-20, 12);
      expect(stats.equityPeak).toBe(120);
    });

    it('averages the deepest point of each period between zero-drawdown bars', () => {
      expect(stats.avgDrawdownPct).toBeCloseTo(-15, 12);
    });

    it('measures the longest period in days between its zero-drawdown ends', () => {
      // Bars 1 (Tue) → 4 (Fri) are 3 days apart; 5 (Mon) → 7 (Wed) 2 days.
      expect(stats.maxDrawdownDurationDays).toBe(3);
    });

    it('lets the last bar end a drawdown period', () => {
      const s = computeStatistics(input([100, 90, 80, 95]));
      expect(s.avgDrawdownPct).toBeCloseTo(-20, 12);
      expect(s.maxDrawdownDurationDays).toBe(3);
    });

    it('counts no period for a drawdown on the last bar only, like the reference tool', () => {
      const s = computeStatistics(input([100, 101, 90]));
      expect(s.maxDrawdownPct).toBeCloseTo(-(1 - 90 / 101) * 100, 12);
      expect(s.avgDrawdownPct).toBeNull();
      expect(s.maxDrawdownDurationDays).toBeNull();
    });

    it('reports zero drawdown and no ratio over it for a curve that never falls', () => {
      const s = computeStatistics(input([100, 101, 102]));
      expect(s.maxDrawdownPct).toBe(0);
      expect(s.calmar).toBeNull();
      expect(s.avgDrawdownPct).toBeNull();
    });
  });

  describe('returns and risk', () => {
    it('uses the equity at each day’s last bar for daily returns', () => {
      // Day 1 ends at 110, day 2 at 99, day 3 at 108.9: returns −10 %, +10 %; the intraday values
      // (50, 500, 1) are ignored.
      const h = 3_600_000;
      const times = [0, 5 * h, DAY_MS, DAY_MS + 5 * h, 2 * DAY_MS, 2 * DAY_MS + 5 * h].map((t) => MONDAY_MS + t);
      const s = computeStatistics(input([50, 110, 500, 99, 1, 108.9], { timeMs: Float64Array.from(times), initialCash: 50 }));
      const g = Math.sqrt(0.9 * 1.1) - 1;
      expect(s.returnAnnPct).toBeCloseTo(((1 + g) ** 252 - 1) * 100, 8);
    });

    it('annualizes with 252 days on weekday data and 365 when weekends trade', () => {
      // Constant 0.1 % a bar: the geometric mean daily return is exactly that.
      const growth = (n: number) => Array.from({ length: n }, (_, i) => 100 * 1.001 ** i);
      const weekdays = computeStatistics(input(growth(20)));
      expect(weekdays.returnAnnPct).toBeCloseTo((1.001 ** 252 - 1) * 100, 8);
      const everyDay = Float64Array.from({ length: 20 }, (_, i) => MONDAY_MS + i * DAY_MS);
      const crypto = computeStatistics(input(growth(20), { timeMs: everyDay }));
      expect(crypto.returnAnnPct).toBeCloseTo((1.001 ** 365 - 1) * 100, 8);
    });

    it('computes volatility, Sharpe and Sortino from the daily returns', () => {
      // Returns +10 %, −10 %: g = √0.99 − 1, sample variance 0.02, downside mean square 0.01 / 2.
      const s = computeStatistics(input([100, 110, 99]));
      const g = Math.sqrt(0.99) - 1;
      const returnAnn = (1 + g) ** 252 - 1;
      const volatilityAnn = Math.sqrt((0.02 + (1 + g) ** 2) ** 252 - (1 + g) ** 504);
      expect(s.volatilityAnnPct).toBeCloseTo(volatilityAnn * 100, 8);
      expect(s.sharpe).toBeCloseTo(returnAnn / volatilityAnn, 10);
      expect(s.sortino).toBeCloseTo(returnAnn / (Math.sqrt(0.005) * Math.sqrt(252)), 10);
      expect(s.calmar).toBeCloseTo(returnAnn / 0.1, 10);
    });

    it('compounds the CAGR over calendar years of 365.25 days', () => {
      // 100 → 121 over 730.5 days is two years at 10 %.
      const times = Float64Array.from([MONDAY_MS, MONDAY_MS + 730.5 * DAY_MS]);
      const s = computeStatistics(input([100, 121], { timeMs: times }));
      expect(s.cagrPct).toBeCloseTo(10, 10);
      expect(s.returnPct).toBeCloseTo(21, 12);
    });

    it('measures buy & hold from the given start bar', () => {
      const s = computeStatistics(input([1, 1, 1], { close: Float64Array.from([50, 80, 120]), buyHoldStartIndex: 1 }));
      expect(s.buyHoldReturnPct).toBeCloseTo(50, 12);
    });

    it('has no buy & hold when the indicators are never all defined', () => {
      expect(computeStatistics(input([1, 1, 1], { buyHoldStartIndex: 3 })).buyHoldReturnPct).toBeNull();
    });
  });

  describe('trades', () => {
    // P&L 10, −5, 20, −10; returns +10 %, −5 %, +20 %, −10 %.
    const trades = [trade(10, 0.1, 1, 3), trade(-5, -0.05, 3, 5), trade(20, 0.2, 7, 7), trade(-10, -0.1, 8, 8)];
    const stats = computeStatistics(input(Array.from({ length: 10 }, () => 100), { trades }));

    it('counts wins by P&L and takes best, worst and mean returns', () => {
      expect(stats.trades).toBe(4);
      expect(stats.winRatePct).toBe(50);
      expect(stats.bestTradePct).toBeCloseTo(20, 12);
      expect(stats.worstTradePct).toBeCloseTo(-10, 12);
      expect(stats.expectancyPct).toBeCloseTo(3.75, 12);
      expect(stats.avgTradePct).toBeCloseTo(((1.1 * 0.95 * 1.2 * 0.9) ** 0.25 - 1) * 100, 12);
    });

    it('divides the summed gains by the summed losses for the profit factor', () => {
      // 0.3 / 0.15
      expect(stats.profitFactor).toBeCloseTo(2, 12);
    });

    it('computes SQN and Kelly from the P&L', () => {
      // mean 3.75; squared deviations 39.0625 + 76.5625 + 264.0625 + 189.0625 = 568.75; std √(568.75 / 3).
      expect(stats.sqn).toBeCloseTo((2 * 3.75) / Math.sqrt(568.75 / 3), 12);
      // Payoff 15 / 7.5 = 2: 0.5 − 0.5 / 2.
      expect(stats.kelly).toBeCloseTo(0.25, 12);
    });

    it('counts each bar from entry to exit once for exposure', () => {
      // Bars 1–5 and 7–8 of 10.
      expect(stats.exposurePct).toBeCloseTo(70, 12);
    });

    it('reports null trade statistics without trades but 0 % exposure', () => {
      const none = computeStatistics(input([100, 101]));
      expect(none).toMatchObject({
        trades: 0, winRatePct: null, bestTradePct: null, worstTradePct: null, avgTradePct: null,
        profitFactor: null, expectancyPct: null, sqn: null, kelly: null, exposurePct: 0,
      });
    });

    it('reports null for ratios whose denominator is empty', () => {
      const winners = computeStatistics(input([100, 101], { trades: [trade(1, 0.01), trade(2, 0.02)] }));
      expect(winners.profitFactor).toBeNull();
      expect(winners.kelly).toBeNull();
      expect(winners.winRatePct).toBe(100);
    });

    it('gives a 0 % geometric mean when a trade lost everything', () => {
      const ruin = computeStatistics(input([100, 101], { trades: [trade(1, 0.5), trade(-2, -1)] }));
      expect(ruin.avgTradePct).toBe(0);
    });
  });
});
