/**
 * sma-cross on a hand-checked close sequence, fast 2 / slow 3:
 *
 * | bar | close | SMA2 | SMA3   | order          |
 * |-----|-------|------|--------|----------------|
 * | 0   | 10    | –    | –      |                |
 * | 1   | 10    | 10   | –      |                |
 * | 2   | 10    | 10   | 10     | equal          |
 * | 3   | 9     | 9.5  | 9.667  | below (no cross: was equal) |
 * | 4   | 8     | 8.5  | 9      | below          |
 * | 5   | 9     | 8.5  | 8.667  | below          |
 * | 6   | 11    | 10   | 9.333  | above: cross up |
 * | 7   | 12    | 11.5 | 10.667 | above          |
 * | 8   | 11    | 11.5 | 11.333 | above          |
 * | 9   | 9     | 10   | 10.667 | below: cross down |
 * | 10  | 8     | 8.5  | 9.333  | below          |
 */
import type { OrderIntent, StrategyContext } from '../../../../../shared/trading/strategies/strategy.js';
import { STRATEGY_API_VERSION } from '../../../../../shared/trading/strategies/strategy.js';
import type { SmaCrossParams, SmaCrossState } from '../../../../../shared/trading/strategies/sma-cross.strategy.js';
import { smaCrossStrategy } from '../../../../../shared/trading/strategies/sma-cross.strategy.js';
import { runBacktest } from '../../../../../shared/trading/backtest/backtest-engine.js';
import { bars, config, flat } from '../backtest/scripted-strategy.js';

const CLOSES = [10, 10, 10, 9, 8, 9, 11, 12, 11, 9, 8];

function context(positionSide: 1 | -1 | 0, shortAllowed = true): StrategyContext {
  return { positionSide, positionQty: positionSide === 0 ? 0 : 1, positionEntryPrice: NaN, equity: 1000, cash: 1000, workingOrderTags: [], shortAllowed };
}

/** Runs the strategy over the closes, holding the position its intents ask for, and lists the signal bars. */
function signals(params: SmaCrossParams, shortAllowed = true, closes = CLOSES): { bar: number; intents: OrderIntent[] }[] {
  let state = smaCrossStrategy.initialState(params);
  let side: 1 | -1 | 0 = 0;
  const out: { bar: number; intents: OrderIntent[] }[] = [];
  closes.forEach((close, bar) => {
    const result = smaCrossStrategy.step(state, { timeMs: bar, open: close, high: close, low: close, close, volume: 0 }, context(side, shortAllowed), params);
    state = result.state;
    if (result.intents.length === 0) return;
    out.push({ bar, intents: [...result.intents] });
    for (const intent of result.intents) {
      if (intent.kind === 'exit') side = 0;
      if (intent.kind === 'entry') side = intent.side === 'long' ? 1 : -1;
    }
  });
  return out;
}

const kinds = (list: { bar: number; intents: OrderIntent[] }[]) =>
  list.map(({ bar, intents }) => [bar, intents.map((i) => (i.kind === 'entry' ? `${i.kind}-${i.side}-${i.type}` : i.kind === 'exit' ? `${i.kind}-${i.type}` : i.kind))]);

describe('smaCrossStrategy', () => {
  it('is a version-1 strategy whose params default to 10/30 long-only', () => {
    expect(smaCrossStrategy.apiVersion).toBe(STRATEGY_API_VERSION);
    expect(smaCrossStrategy.id).toBe('sma-cross');
    expect(smaCrossStrategy.paramsSchema.parse({})).toEqual({ fast: 10, slow: 30, allowShort: false });
  });

  it('rejects params where fast is not below slow, and unknown params', () => {
    expect(smaCrossStrategy.paramsSchema.safeParse({ fast: 30, slow: 30 }).success).toBe(false);
    expect(smaCrossStrategy.paramsSchema.safeParse({ fast: 2.5 }).success).toBe(false);
    expect(smaCrossStrategy.paramsSchema.safeParse({ fats: 5 }).success).toBe(false);
  });

  it('needs slow bars before both averages are defined', () => {
    expect(smaCrossStrategy.warmup({ fast: 2, slow: 3, allowShort: false })).toBe(3);
  });

  it('goes long on the cross up and exits on the cross down when long-only', () => {
    expect(kinds(signals({ fast: 2, slow: 3, allowShort: false }))).toEqual([
      [6, ['entry-long-market']],
      [9, ['exit-market']],
    ]);
  });

  it('reverses into a short on the cross down with allowShort', () => {
    expect(kinds(signals({ fast: 2, slow: 3, allowShort: true }))).toEqual([
      [6, ['entry-long-market']],
      [9, ['entry-short-market']],
    ]);
  });

  it('stays long-only when the market does not allow shorts', () => {
    expect(kinds(signals({ fast: 2, slow: 3, allowShort: true }, false))).toEqual([
      [6, ['entry-long-market']],
      [9, ['exit-market']],
    ]);
  });

  it('treats touching averages as no cross', () => {
    // Bar 2 has SMA2 = SMA3 = 10 and bar 3 has SMA2 < SMA3: nothing, as the table shows.
    expect(signals({ fast: 2, slow: 3, allowShort: true }).map((s) => s.bar)).not.toContain(3);
  });

  it('closes and re-opens when a cross repeats the side already held', () => {
    // fast 1 (the close) / slow 2 over 10, 9, 10, 10, 9, 11:
    // bar 2: 10 > 9.5 after 9 < 9.5 → cross up. bar 3: 10 = 10. bar 4: 9 < 9.5 after equal → no cross.
    // bar 5: 11 > 10 after 9 < 9.5 → cross up again while still long: exit, then long.
    expect(kinds(signals({ fast: 1, slow: 2, allowShort: false }, true, [10, 9, 10, 10, 9, 11]))).toEqual([
      [2, ['entry-long-market']],
      [5, ['exit-market', 'entry-long-market']],
    ]);
  });

  it('decides the same after its state went through JSON half way', () => {
    const params: SmaCrossParams = { fast: 2, slow: 3, allowShort: true };
    const straight = signals(params);
    let state: SmaCrossState = smaCrossStrategy.initialState(params);
    const resumed: number[] = [];
    CLOSES.forEach((close, bar) => {
      if (bar === 5) state = JSON.parse(JSON.stringify(state)) as SmaCrossState;
      const result = smaCrossStrategy.step(state, { timeMs: bar, open: close, high: close, low: close, close, volume: 0 }, context(bar > 6 && bar < 9 ? 1 : 0), params);
      state = result.state;
      if (result.intents.length > 0) resumed.push(bar);
    });
    expect(resumed).toEqual(straight.map((s) => s.bar));
  });

  it('trades the table through the engine: long at bar 7’s open, short at bar 10’s open', () => {
    const series = bars(CLOSES.map((c) => flat(c)));
    const result = runBacktest(series, smaCrossStrategy, { fast: 2, slow: 3, allowShort: true }, config());
    // 999.9 / 12 = 83.3 → 83 long at 12; closed at 8 (bar 10 open): −332.
    expect(result.trades).toEqual([expect.objectContaining({ side: 'long', entryBar: 7, exitBar: 10, quantity: 83, pnl: -332 })]);
    // Short from 668: 668 × 0.9999 / 8 = 83.49 → 83.
    expect(result.openTrades).toEqual([expect.objectContaining({ side: 'short', entryBar: 10, quantity: 83 })]);
    // Buy & hold from bar 2 (first with both averages): 10 → 8.
    expect(result.stats.buyHoldReturnPct).toBeCloseTo(-20, 12);
  });
});
