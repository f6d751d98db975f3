/**
 * Fill, fee, sizing and accounting rules of the engine on small hand-checked bar sequences.
 * Every expected number is worked out in the comment next to it.
 */
import { runBacktest } from '../../../../../shared/trading/backtest/backtest-engine.js';
import { BacktestConfigError } from '../../../../../shared/trading/backtest/backtest-config.js';
import { InvalidIntentError } from '../../../../../shared/trading/backtest/simulated-broker.js';
import { bars, buy, config, exit, flat, script, scriptedStrategy, sell } from './scripted-strategy.js';

describe('runBacktest', () => {
  describe('market orders and equity', () => {
    const series = bars([flat(10), [10, 12, 9, 11], [11, 13, 10, 12], [12, 12, 11, 11.5]]);

    it('fills a market entry at the next open, sizes it from the fraction, and marks equity at each close', () => {
      const result = runBacktest(series, scriptedStrategy, script({ 0: [buy()] }), config());
      // 1000 × 0.9999 = 999.9 buys floor(999.9 / 10) = 99 units at the bar-1 open of 10.
      expect(result.openTrades).toEqual([expect.objectContaining({ quantity: 99, entryPrice: 10, entryBar: 1 })]);
      // Equity = cash + 99 × (close − 10); before the fill it is the initial cash.
      expect([...result.equity]).toEqual([1000, 1099, 1198, 1148.5]);
      // Still open at the end: marked to the last close, not a trade.
      expect(result.trades).toHaveLength(0);
      expect(result.stats.trades).toBe(0);
      expect(result.stats.equityFinal).toBe(1148.5);
    });

    it('closes at the next open on an exit and records the trade', () => {
      const result = runBacktest(series, scriptedStrategy, script({ 0: [buy()], 2: [exit()] }), config());
      expect(result.trades).toEqual([
        expect.objectContaining({ side: 'long', quantity: 99, entryBar: 1, entryPrice: 10, exitBar: 3, exitPrice: 12, pnl: 198 }),
      ]);
      expect(result.trades[0]!.returnFraction).toBeCloseTo(0.2, 14);
      expect([...result.equity]).toEqual([1000, 1099, 1198, 1198]);
      expect(result.openTrades).toEqual([]);
    });

    it('ignores orders decided on the last bar', () => {
      const result = runBacktest(series, scriptedStrategy, script({ 3: [buy()] }), config());
      expect([...result.equity]).toEqual([1000, 1000, 1000, 1000]);
      expect(result.openTrades).toEqual([]);
    });

    it('tells the strategy its position, equity and free cash', () => {
      const params = script({ 0: [buy()] });
      runBacktest(series, scriptedStrategy, params, config());
      expect(params.seen[0]).toMatchObject({ positionSide: 0, positionQty: 0, equity: 1000, cash: 1000 });
      expect(params.seen[0]!.positionEntryPrice).toBeNaN();
      // Bar 2: equity 1198, 99 units worth 99 × 12 = 1188 at the close, so 10 is free.
      expect(params.seen[2]).toMatchObject({ positionSide: 1, positionQty: 99, positionEntryPrice: 10, equity: 1198, cash: 10 });
    });
  });

  describe('commissions', () => {
    const series = bars([flat(10), [10, 11, 10, 11], [12, 12, 12, 12]]);

    it('charges the relative rate on entry and exit and sizes so units × price × (1 + rate) fits', () => {
      const result = runBacktest(
        series, scriptedStrategy, script({ 0: [buy()], 1: [exit()] }),
        config({ commission: { rate: 0.01, fixed: 0 }, sizing: { mode: 'fraction', value: 1 } }),
      );
      // floor(1000 / (10 × 1.01)) = floor(99.0099) = 99 units; entry fee 99 × 10 × 0.01 = 9.9.
      const trade = result.trades[0]!;
      expect(trade.quantity).toBe(99);
      expect(trade.entryFee).toBeCloseTo(9.9, 12);
      // Exit fee 99 × 12 × 0.01 = 11.88; P&L 99 × 2 − 9.9 − 11.88 = 176.22.
      expect(trade.exitFee).toBeCloseTo(11.88, 12);
      expect(trade.pnl).toBeCloseTo(176.22, 10);
      // Return = (12 / 10 − 1) − 21.78 / (99 × 10) = 0.2 − 0.022.
      expect(trade.returnFraction).toBeCloseTo(0.178, 12);
      // Bar 1 equity: 1000 − 9.9 + 99 × (11 − 10); final: 1000 + 176.22.
      expect(result.equity[1]).toBeCloseTo(1089.1, 10);
      expect(result.stats.equityFinal).toBeCloseTo(1176.22, 10);
    });

    it('charges a fixed commission per fill and keeps it out of the sizing budget', () => {
      const result = runBacktest(
        series, scriptedStrategy, script({ 0: [buy()], 1: [exit()] }),
        config({ commission: { rate: 0, fixed: 5 }, sizing: { mode: 'fraction', value: 1 } }),
      );
      // (1000 − 5) / 10 = 99.5 → 99 units; P&L 198 − 2 × 5.
      const trade = result.trades[0]!;
      expect(trade).toMatchObject({ quantity: 99, entryFee: 5, exitFee: 5, pnl: 188 });
      expect(trade.returnFraction).toBeCloseTo(0.2 - 10 / 990, 14);
      expect(result.stats.equityFinal).toBe(1188);
    });
  });

  describe('sizing', () => {
    const series = bars([flat(3), flat(3), flat(3)]);
    const quantityAt = (overrides: Parameters<typeof config>[0], intent = buy()): number | undefined =>
      runBacktest(series, scriptedStrategy, script({ 0: [intent] }), config({ sizing: { mode: 'fraction', value: 1 }, ...overrides }))
        .openTrades?.[0]?.quantity;

    it('rounds the quantity down to the lot step, never up', () => {
      // 1000 / 3 = 333.33…
      expect(quantityAt({ lotStep: 1 })).toBe(333);
      expect(quantityAt({ lotStep: 0.01 })).toBe(333.33);
      expect(quantityAt({ lotStep: 0.001 })).toBe(333.333);
      expect(quantityAt({ lotStep: 10 })).toBe(330);
    });

    it('buys a fixed quantity or a fixed notional when the entry asks for it', () => {
      expect(quantityAt({}, buy({ sizing: { mode: 'quantity', value: 12.7 } }))).toBe(12);
      // 100 / 3 = 33.3 → 33 units.
      expect(quantityAt({}, buy({ sizing: { mode: 'notional', value: 100 } }))).toBe(33);
      expect(quantityAt({ sizing: { mode: 'notional', value: 100 } })).toBe(33);
    });

    it('rejects an entry the account cannot pay for instead of shrinking it', () => {
      const result = runBacktest(series, scriptedStrategy, script({ 0: [buy({ sizing: { mode: 'quantity', value: 334 } })] }), config());
      // 334 × 3 = 1002 > 1000.
      expect(result.openTrades).toEqual([]);
      expect(result.rejectedOrders).toBe(1);
    });

    it('rejects shorts when the market does not allow them', () => {
      const result = runBacktest(series, scriptedStrategy, script({ 0: [sell()] }), config({ shortAllowed: false }));
      expect(result.openTrades).toEqual([]);
      expect(result.rejectedOrders).toBe(1);
    });
  });

  describe('slippage', () => {
    it('moves market fills against the order by the basis points', () => {
      const series = bars([flat(100), flat(100), flat(110), flat(110)]);
      const result = runBacktest(series, scriptedStrategy, script({ 0: [buy()], 1: [exit()] }), config({ slippageBps: 10 }));
      // Buy at 100 × 1.001 = 100.1: 999.9 / 100.1 = 9.989 → 9 units. Sell at 110 × 0.999 = 109.89.
      const trade = result.trades[0]!;
      expect(trade.quantity).toBe(9);
      expect(trade.entryPrice).toBeCloseTo(100.1, 12);
      expect(trade.exitPrice).toBeCloseTo(109.89, 12);
    });
  });

  describe('reversal', () => {
    it('closes at the next open first, then sizes the new position from the equity after the close', () => {
      const series = bars([flat(100), [100, 110, 100, 110], [120, 120, 115, 115]]);
      const result = runBacktest(series, scriptedStrategy, script({ 0: [buy()], 1: [sell()] }), config());
      // Long 9 at 100 (999.9 / 100 → 9), closed at 120: +180, cash 1180.
      expect(result.trades).toEqual([
        expect.objectContaining({ side: 'long', quantity: 9, exitPrice: 120, pnl: 180, exitReason: 'reverse' }),
      ]);
      // Short sized from 1180: 1180 × 0.9999 / 120 = 9.83 → 9 (from the pre-close 1000 it would be 8).
      expect(result.openTrades).toEqual([expect.objectContaining({ side: 'short', quantity: 9, entryPrice: 120, entryBar: 2 })]);
      // Equity at the last close: 1180 − 9 × (115 − 120).
      expect(result.equity[2]).toBe(1225);
    });
  });

  describe('attached exits', () => {
    const run = (rows: Parameters<typeof bars>[0], entry = buy({ stopLoss: 95, takeProfit: 110 })) =>
      runBacktest(bars(rows), scriptedStrategy, script({ 0: [entry] }), config());

    it('fills a stop-loss at its level inside the bar', () => {
      // 9 units at 100; the bar-2 low of 94 touches the 95 stop.
      const result = run([flat(100), [100, 101, 99, 100], [98, 99, 94, 96]]);
      expect(result.trades).toEqual([expect.objectContaining({ exitPrice: 95, exitBar: 2, pnl: -45, exitReason: 'stop-loss' })]);
    });

    it('fills a stop-loss at the open when the bar gaps through it', () => {
      const result = run([flat(100), [100, 101, 99, 100], [90, 92, 88, 91]]);
      expect(result.trades).toEqual([expect.objectContaining({ exitPrice: 90, pnl: -90, exitReason: 'stop-loss' })]);
    });

    it('assumes the stop-loss filled first when stop-loss and take-profit are both inside one bar', () => {
      const result = run([flat(100), [100, 101, 99, 100], [100, 112, 94, 105]]);
      expect(result.trades).toEqual([expect.objectContaining({ exitPrice: 95, exitReason: 'stop-loss' })]);
    });

    it('takes the profit at the open when the bar opens beyond the take-profit', () => {
      const result = run([flat(100), [100, 101, 99, 100], [111, 115, 94, 105]]);
      expect(result.trades).toEqual([expect.objectContaining({ exitPrice: 111, exitReason: 'take-profit' })]);
    });

    it('needs the price to trade through a take-profit, not just touch it', () => {
      const touched = run([flat(100), [100, 110, 99, 100], [100, 110.5, 99, 100]]);
      expect(touched.trades).toEqual([expect.objectContaining({ exitPrice: 110, exitBar: 2, exitReason: 'take-profit' })]);
    });

    it('checks the exits of a market entry on its own entry bar', () => {
      const result = run([flat(100), [100, 111, 99, 105]]);
      expect(result.trades).toEqual([expect.objectContaining({ entryBar: 1, exitBar: 1, exitPrice: 110, exitReason: 'take-profit' })]);
    });

    it('trails a stop behind the highest high and fills it at its level', () => {
      // Entry at 100 with a 10 % trail: level 90. Bar 1 high 110 raises it to 99 for bar 2, whose low 98 hits it.
      const result = run([flat(100), [100, 110, 99, 108], [105, 106, 98, 100]], buy({ trailingStop: 0.1 }));
      expect(result.trades).toHaveLength(1);
      expect(result.trades[0]).toMatchObject({ exitBar: 2, exitReason: 'trailing-stop' });
      expect(result.trades[0]!.exitPrice).toBeCloseTo(99, 12);
    });

    it('does not let a bar raise the trailing stop that its own low is then checked against', () => {
      // Bar 1: high 110 and low 95. The level known at bar 1's open is 90, so no exit on bar 1.
      const result = run([flat(100), [100, 110, 95, 108], [108, 109, 100, 101]], buy({ trailingStop: 0.1 }));
      expect(result.trades).toEqual([]);
      expect(result.openTrades).toHaveLength(1);
    });

    it('trails short positions above the lowest low', () => {
      // Short 9 at 100 with a 5 % trail: level 105; bar 1 low 90 lowers it to 94.5; bar 2 high 95 hits it.
      const result = run([flat(100), [100, 101, 90, 91], [92, 95, 91, 94]], sell({ trailingStop: 0.05 }));
      expect(result.trades).toHaveLength(1);
      expect(result.trades[0]!.exitPrice).toBeCloseTo(94.5, 12);
      expect(result.trades[0]!.pnl).toBeCloseTo(9 * (100 - 94.5), 10);
    });
  });

  describe('limit and stop entries', () => {
    const limitBuy = buy({ type: 'limit', price: 95 });

    it('fills a buy limit only when the low trades through its price', () => {
      const result = runBacktest(bars([flat(100), [99, 100, 95, 99], [97, 98, 94.5, 96]]), scriptedStrategy, script({ 0: [limitBuy] }), config());
      // Bar 1 only touches 95; bar 2 trades through. 999.9 / 95 = 10.5 → 10 units.
      expect(result.openTrades).toEqual([expect.objectContaining({ entryBar: 2, entryPrice: 95, quantity: 10 })]);
    });

    it('fills a buy limit at the open when the bar gaps below it', () => {
      const result = runBacktest(bars([flat(100), [93, 94, 92, 93]]), scriptedStrategy, script({ 0: [limitBuy] }), config());
      expect(result.openTrades).toEqual([expect.objectContaining({ entryPrice: 93 })]);
    });

    it('fills a buy stop on touch, or at the open when the bar gaps above it', () => {
      const stopBuy = buy({ type: 'stop', price: 105 });
      const touched = runBacktest(bars([flat(100), [101, 105, 100, 104]]), scriptedStrategy, script({ 0: [stopBuy] }), config());
      expect(touched.openTrades).toEqual([expect.objectContaining({ entryPrice: 105 })]);
      const gapped = runBacktest(bars([flat(100), [107, 108, 106, 107]]), scriptedStrategy, script({ 0: [stopBuy] }), config());
      expect(gapped.openTrades).toEqual([expect.objectContaining({ entryPrice: 107 })]);
    });

    it('arms the attached exits of an intrabar entry from the next bar on', () => {
      // Fill at 95 on bar 1, whose low of 93.5 is below the 94 stop: unknowable order, so not checked on bar 1.
      const entry = buy({ type: 'limit', price: 95, stopLoss: 94 });
      const result = runBacktest(
        bars([flat(100), [97, 98, 93.5, 96], [96, 97, 95.5, 96], [95, 95, 93, 94]]), scriptedStrategy, script({ 0: [entry] }), config(),
      );
      expect(result.trades).toEqual([expect.objectContaining({ entryBar: 1, exitBar: 3, exitPrice: 94, exitReason: 'stop-loss' })]);
    });

    it('keeps working orders until cancelled and shows their tags to the strategy', () => {
      const params = script({ 0: [buy({ type: 'limit', price: 50, tag: 'dip' })], 1: [{ kind: 'cancel', tag: 'dip', reason: 'test' }] });
      const result = runBacktest(bars([flat(100), flat(100), [60, 60, 40, 45]]), scriptedStrategy, params, config());
      expect(params.seen.map((ctx) => ctx.workingOrderTags)).toEqual([[], ['dip'], []]);
      expect(result.openTrades).toEqual([]);
    });
  });

  describe('adding and partial exits', () => {
    it('adds lots and closes them oldest first, splitting a lot on a partial exit', () => {
      const rows = bars([flat(10), flat(10), flat(12), [14, 15, 14, 15]]);
      const params = script({
        0: [buy({ sizing: { mode: 'quantity', value: 5 } })],
        1: [buy({ sizing: { mode: 'quantity', value: 5 } })],
        2: [exit({ quantity: 7 })],
      });
      const result = runBacktest(rows, scriptedStrategy, params, config({ commission: { rate: 0.01, fixed: 0 } }));
      // Lot 1: 5 @ 10 (fee 0.5), lot 2: 5 @ 12 (fee 0.6). Exit 7 @ 14: all of lot 1, 2 of lot 2.
      expect(result.trades).toHaveLength(2);
      expect(result.trades[0]).toMatchObject({ quantity: 5, entryPrice: 10, exitPrice: 14 });
      expect(result.trades[0]!.pnl).toBeCloseTo(5 * 4 - 0.5 - 5 * 14 * 0.01, 12);
      expect(result.trades[1]).toMatchObject({ quantity: 2, entryPrice: 12, exitPrice: 14 });
      // Two fifths of lot 2's entry fee go with the closed part.
      expect(result.trades[1]!.entryFee).toBeCloseTo(0.24, 12);
      expect(result.openTrades).toEqual([expect.objectContaining({ quantity: 3, entryPrice: 12 })]);
      expect(result.openTrades?.[0]?.entryFee).toBeCloseTo(0.36, 12);
      expect(params.seen[2]).toMatchObject({ positionQty: 10, positionEntryPrice: 11 });
      // Final equity: 1000 − fees (0.5 + 0.6 + 0.7 + 0.28) + realized (20 + 4) + open 3 × (15 − 12).
      expect(result.stats.equityFinal).toBeCloseTo(1000 - 2.08 + 24 + 9, 10);
    });
  });

  describe('ruin', () => {
    it('liquidates at the close when equity reaches zero and trades no more', () => {
      const rows = bars([flat(100), flat(100), [150, 230, 150, 220], flat(50), flat(50)]);
      const result = runBacktest(rows, scriptedStrategy, script({ 0: [sell()], 3: [buy()] }), config());
      // Short 9 at 100: at 220 equity is 1000 − 9 × 120 = −80.
      expect(result.trades).toEqual([expect.objectContaining({ side: 'short', exitBar: 2, exitPrice: 220, exitReason: 'liquidation' })]);
      expect([...result.equity]).toEqual([1000, 1000, 0, 0, 0]);
      expect(result.stats.returnPct).toBe(-100);
    });
  });

  describe('statistics', () => {
    it('starts buy & hold at the close of the first bar where the indicators are defined', () => {
      // The scripted strategy's warmup is 1 bar, so buy & hold runs from close[0] = 10 to 20.
      const result = runBacktest(bars([flat(10), flat(15), flat(20)]), scriptedStrategy, script({}), config());
      expect(result.stats.buyHoldReturnPct).toBe(100);
    });
  });

  describe('inputs', () => {
    it('refuses an invalid configuration', () => {
      expect(() => runBacktest(bars([flat(1)]), scriptedStrategy, script({}), config({ cash: 0 }))).toThrow(BacktestConfigError);
      expect(() => runBacktest(bars([flat(1)]), scriptedStrategy, script({}), config({ lotStep: -1 }))).toThrow(BacktestConfigError);
    });

    it('refuses a limit order without a price', () => {
      const run = () => runBacktest(bars([flat(1), flat(1)]), scriptedStrategy, script({ 0: [buy({ type: 'limit' })] }), config());
      expect(run).toThrow(InvalidIntentError);
    });

    it('handles an empty series', () => {
      const result = runBacktest(bars([]), scriptedStrategy, script({}), config());
      expect(result.equity).toHaveLength(0);
      expect(result.stats).toMatchObject({ trades: 0, equityFinal: 1000, returnPct: 0, sharpe: null });
    });
  });
});
