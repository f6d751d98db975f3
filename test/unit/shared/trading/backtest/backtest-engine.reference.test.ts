/**
 * The reference check of issue 3 (GOOG, sma-cross 10/30 with shorts, cash 10 000, no commission,
 * fraction 0.9999, whole units), plus a differential check on every reference data set: a naive,
 * array-based re-implementation of the reference semantics must produce the same trades and equity.
 */
import { runBacktest } from '../../../../../shared/trading/backtest/backtest-engine.js';
import type { BacktestConfig, Statistics } from '../../../../../shared/trading/backtest/backtest-types.js';
import { smaCrossStrategy } from '../../../../../shared/trading/strategies/sma-cross.strategy.js';
import type { BarSeries } from '../../../../../shared/trading/types.js';
import { loadReferenceSeries } from './reference-data.js';

const REFERENCE_CONFIG: BacktestConfig = {
  cash: 10_000,
  commission: { rate: 0, fixed: 0 },
  slippageBps: 0,
  sizing: { mode: 'fraction', value: 0.9999 },
  lotStep: 1,
  shortAllowed: true,
};

/** The figures, as printed there. */
const GOOG_EXPECTED: Record<keyof Statistics, string> = {
  trades: '65',
  equityFinal: '51959.95',
  equityPeak: '75787.44',
  returnPct: '419.5995',
  buyHoldReturnPct: '522.0602',
  returnAnnPct: '21.33895',
  volatilityAnnPct: '36.54153',
  cagrPct: '21.30787',
  sharpe: '0.583964',
  sortino: '1.092946',
  calmar: '0.444746',
  maxDrawdownPct: '-47.98013',
  avgDrawdownPct: '-5.925852',
  maxDrawdownDurationDays: '584',
  winRatePct: '46.15385',
  bestTradePct: '53.59595',
  worstTradePct: '-18.39887',
  avgTradePct: '2.353711',
  profitFactor: '2.088018',
  expectancyPct: '3.097630',
  sqn: '0.916893',
  kelly: '0.132326',
  exposurePct: '93.99441',
};

/** Half a unit of the last printed digit. */
function printedTolerance(printed: string): number {
  const decimals = printed.includes('.') ? printed.length - printed.indexOf('.') - 1 : 0;
  return 0.5 * 10 ** -decimals;
}

describe('runBacktest reference semantics', () => {
  const goog = loadReferenceSeries('GOOG');

  describe('GOOG, sma-cross 10/30 allowShort', () => {
    const result = runBacktest(goog, smaCrossStrategy, { fast: 10, slow: 30, allowShort: true }, REFERENCE_CONFIG);

    it.each(Object.entries(GOOG_EXPECTED))('gives %s = %s to the printed precision', (key, printed) => {
      const actual = result.stats[key as keyof Statistics];
      expect(actual).not.toBeNull();
      expect(Math.abs(actual! - Number(printed))).toBeLessThanOrEqual(printedTolerance(printed) * (1 + 1e-9));
    });

    it('agrees with the issue to 1e-6 relative on every statistic printed with 7 significant digits', () => {
      for (const [key, printed] of Object.entries(GOOG_EXPECTED)) {
        const significant = printed.replace(/^-?0?\.?0*/, '').replace('.', '').length;
        if (significant < 7) continue;
        const actual = result.stats[key as keyof Statistics]!;
        expect(Math.abs(actual / Number(printed) - 1)).toBeLessThanOrEqual(1e-6);
      }
    });

    it('keeps the final position open: marked to the last close, not a trade', () => {
      expect(result.trades).toHaveLength(65);
      expect(result.openTrades).toHaveLength(1);
      const lastClose = goog.close[goog.length - 1]!;
      expect(result.openTrades?.[0]?.exitPrice).toBe(lastClose);
      expect(result.equity[goog.length - 1]).toBe(result.stats.equityFinal);
    });
  });

  describe.each([
    { data: 'GOOG', fast: 10, slow: 30, allowShort: true, rate: 0.002, lotStep: 1, cash: 10_000 },
    { data: 'GOOG', fast: 5, slow: 20, allowShort: false, rate: 0.001, lotStep: 1, cash: 10_000 },
    { data: 'EURUSD', fast: 10, slow: 30, allowShort: true, rate: 0.0002, lotStep: 1, cash: 10_000 },
    { data: 'EURUSD', fast: 20, slow: 50, allowShort: false, rate: 0, lotStep: 100, cash: 100_000 },
    { data: 'BTCUSD', fast: 3, slow: 9, allowShort: true, rate: 0.001, lotStep: 0.001, cash: 10_000 },
  ] as const)('$data sma-cross $fast/$slow short=$allowShort commission=$rate lot=$lotStep', (c) => {
    const series = loadReferenceSeries(c.data);
    const config: BacktestConfig = { ...REFERENCE_CONFIG, cash: c.cash, commission: { rate: c.rate, fixed: 0 }, lotStep: c.lotStep };
    const result = runBacktest(series, smaCrossStrategy, { fast: c.fast, slow: c.slow, allowShort: c.allowShort }, config);
    const naive = naiveSmaCross(series, c.fast, c.slow, c.allowShort, config);

    it('trades exactly like a naive re-implementation of the reference semantics', () => {
      expect(result.trades.length).toBeGreaterThan(3);
      expect(result.trades.map((t) => [t.side, t.entryBar, t.exitBar, t.quantity])).toEqual(naive.trades.map((t) => [t.side, t.entryBar, t.exitBar, t.quantity]));
      result.trades.forEach((trade, k) => expect(trade.pnl).toBeCloseTo(naive.trades[k]!.pnl, 6));
    });

    it('has the naive equity curve', () => {
      let worst = 0;
      for (let i = 0; i < series.length; i++) worst = Math.max(worst, Math.abs(result.equity[i]! / naive.equity[i]! - 1));
      expect(worst).toBeLessThan(1e-9);
    });

    it('balances: final equity = cash + realized P&L + open P&L', () => {
      const realized = result.trades.reduce((sum, t) => sum + t.pnl, 0);
      const open = (result.openTrades ?? []).reduce((sum, t) => sum + t.pnl, 0);
      expect(result.stats.equityFinal / (c.cash + realized + open)).toBeCloseTo(1, 10);
    });
  });
});

interface NaiveTrade {
  side: 'long' | 'short';
  entryBar: number;
  exitBar: number;
  quantity: number;
  pnl: number;
}

/**
 * Straight from the wording, with none of the engine's machinery: SMAs by full window sums,
 * signals on strict crosses, fills at the next open, fraction sizing by brute force on whole lots.
 */
function naiveSmaCross(series: BarSeries, fast: number, slow: number, allowShort: boolean, config: BacktestConfig) {
  const n = series.length;
  const sma = (period: number, i: number): number => {
    if (i < period - 1) return NaN;
    let sum = 0;
    for (let j = i - period + 1; j <= i; j++) sum += series.close[j]!;
    return sum / period;
  };
  const rate = config.commission.rate;
  const lot = config.lotStep;
  const f = config.sizing.value;
  let cash = config.cash;
  let position: { side: 1 | -1; quantity: number; entryPrice: number; entryFee: number; entryBar: number } | undefined;
  const trades: NaiveTrade[] = [];
  const equity: number[] = [];
  let order: 'long' | 'short' | 'exit' | 'relong' | 'reshort' | undefined;
  const close = (price: number, bar: number) => {
    const p = position!;
    const gross = p.side * p.quantity * (price - p.entryPrice);
    const exitFee = p.quantity * price * rate;
    cash += gross - exitFee;
    trades.push({ side: p.side > 0 ? 'long' : 'short', entryBar: p.entryBar, exitBar: bar, quantity: p.quantity, pnl: gross - exitFee - p.entryFee });
    position = undefined;
  };
  const open = (side: 1 | -1, price: number, bar: number) => {
    // The largest whole number of lots with units × price × (1 + rate) ≤ f × cash.
    let lots = Math.floor((f * cash) / (price * (1 + rate) * lot)) + 1;
    while (lots > 0 && Math.round(lots * lot * 1e9) / 1e9 * price * (1 + rate) > f * cash) lots--;
    const quantity = Math.round(lots * lot * 1e9) / 1e9;
    if (quantity <= 0) return;
    const fee = quantity * price * rate;
    cash -= fee;
    position = { side, quantity, entryPrice: price, entryFee: fee, entryBar: bar };
  };
  for (let i = 0; i < n; i++) {
    const o = series.open[i]!;
    if (order !== undefined) {
      const want = order === 'exit' ? 0 : order === 'short' || order === 'reshort' ? -1 : 1;
      if (position !== undefined && (want !== position.side || order === 'relong' || order === 'reshort')) close(o, i);
      if (want !== 0 && position === undefined) open(want, o, i);
      order = undefined;
    }
    const c = series.close[i]!;
    equity.push(position === undefined ? cash : cash + position.side * position.quantity * (c - position.entryPrice));
    const [f0, s0, f1, s1] = [sma(fast, i - 1), sma(slow, i - 1), sma(fast, i), sma(slow, i)];
    if (f0 < s0 && f1 > s1) order = position?.side === 1 ? 'relong' : 'long';
    else if (f0 > s0 && f1 < s1) order = allowShort ? (position?.side === -1 ? 'reshort' : 'short') : position?.side === 1 ? 'exit' : undefined;
  }
  return { trades, equity };
}
