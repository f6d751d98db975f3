import { runBacktest } from '../../../../../shared/trading/backtest/backtest-engine.js';
import { DEFAULT_BACKTEST_CONFIG } from '../../../../../shared/trading/backtest/backtest-config.js';
import type { GridParams, GridState } from '../../../../../shared/trading/strategies/grid.strategy.js';
import { gridStrategy } from '../../../../../shared/trading/strategies/grid.strategy.js';
import type { Strategy } from '../../../../../shared/trading/strategies/strategy.js';
import { barSeriesFromBars } from '../../../../../shared/trading/types.js';
import {
  allIntents,
  flatContext,
  ohlcBars,
  readReferenceBars,
  roundTripMismatches,
  runStrategy,
  summarize,
} from './strategy-test-kit.js';

// Levels 90, 95, 100, 105, 110 (level 0..4), one unit per order.
const FIXED = { lower: 90, upper: 110, levels: 5, quantityPerLevel: 1 };

// Long grid. Limit orders fill when a bar trades through them, at their price (the opens here never gap).
// bar 0  close 102: buys armed below the price at 90, 95, 100 (105 is above: it waits).
// bar 1  low 99 fills the buy at 100          -> sell it one level up at 105
// bar 2  high 106 fills that sell at 105      -> the level re-arms at 100; 105 is now below the close too
// bar 3  low 94 fills 105, 100 and 95         -> three sells, one level above each (highest first)
// bar 4  high 101 fills the sell at 100       -> level 1 (95) re-arms
const LONG_BARS = ohlcBars([
  [102, 102, 102, 102],
  [102, 103, 99, 101],
  [101, 106, 101, 106],
  [106, 106, 94, 94],
  [94, 101, 93, 101],
]);

describe('gridStrategy', () => {
  it('buys below the price, sells each lot one level up and re-arms the level after the round trip', () => {
    const { signals, account } = runStrategy(gridStrategy, FIXED, LONG_BARS);
    expect(summarize(signals)).toEqual([
      '0: long limit@90 [grid-0], long limit@95 [grid-1], long limit@100 [grid-2]',
      '1: exit limit@105 1 [grid-2]',
      '2: long limit@100 [grid-2], long limit@105 [grid-3]',
      '3: exit limit@110 1 [grid-3], exit limit@105 1 [grid-2], exit limit@100 1 [grid-1]',
      '4: long limit@95 [grid-1]',
    ]);
    expect(account.side * account.qty).toBe(2);
    expect(signals[0]!.intents[0]!.reason).toBe('Grid level 0: buy at 90, to sell one level up');
    expect(signals[1]!.intents[0]!.reason).toBe('Grid level 2 bought at 100: sell at level 3 (105)');
  });

  it('asks for the configured quantity on every entry', () => {
    const { signals } = runStrategy(gridStrategy, { ...FIXED, quantityPerLevel: 2.5 }, LONG_BARS);
    const sizes = signals.flatMap((s) => s.intents).flatMap((i) => (i.kind === 'entry' ? [i.sizing] : []));
    expect(sizes.length).toBe(6);
    expect(sizes.every((s) => s?.mode === 'quantity' && s.value === 2.5)).toBe(true);
  });

  it('runs a neutral grid with shorts above the starting level when allowShort is set', () => {
    // Start at 101: the nearest level (100) is the centre. 90 and 95 buy, 105 and 110 sell short.
    // bar 1  high 107 fills the short at 105  -> buy it back one level down at 100
    // bar 2  low 99 fills the buy-back        -> the short level re-arms at 105
    // bar 3  low 94 fills the buy at 95       -> sell it at 100
    const bars = ohlcBars([
      [101, 101, 101, 101],
      [101, 107, 101, 106],
      [106, 106, 99, 99],
      [99, 99, 94, 96],
    ]);
    const { signals } = runStrategy(gridStrategy, { ...FIXED, allowShort: true }, bars);
    expect(summarize(signals)).toEqual([
      '0: long limit@90 [grid-0], long limit@95 [grid-1], short limit@105 [grid-3], short limit@110 [grid-4]',
      '1: exit limit@100 1 [grid-3]',
      '2: short limit@105 [grid-3]',
      '3: exit limit@100 1 [grid-1]',
    ]);
    expect(signals[1]!.intents[0]!.reason).toBe('Grid level 3 sold short at 105: buy back at level 2 (100)');
  });

  it('lays out an automatic range around the first close and sizes from equity', () => {
    // Close 100, ±10%: levels 80..120 in 4 steps of 10 with levels = 5; buy levels 80, 90, 100, 110
    // would cost 380 per unit, so 95% of 7600 equity buys 19 units per level.
    const first = ohlcBars([[100, 100, 100, 100]])[0]!;
    const params = gridStrategy.paramsSchema.parse({ rangePct: 20, levels: 5 });
    const state = gridStrategy.initialState(params);
    const { intents } = gridStrategy.step(state, first, flatContext({ equity: 7600 }), params);
    expect(state.levels).toEqual([80, 90, 100, 110, 120]);
    expect(intents.map((i) => (i.kind === 'entry' ? [i.price, i.sizing?.value] : []))).toEqual([
      [80, 19],
      [90, 19],
    ]);
  });

  it('uses step as the spacing when given', () => {
    const params = gridStrategy.paramsSchema.parse({ lower: 100, upper: 112, step: 4, quantityPerLevel: 1 });
    const state = gridStrategy.initialState(params);
    gridStrategy.step(state, ohlcBars([[111, 111, 111, 111]])[0]!, flatContext(), params);
    expect(state.levels).toEqual([100, 104, 108, 112]);
  });

  it('frees a level whose order vanished without filling (refused by the broker) and re-arms it', () => {
    const params = gridStrategy.paramsSchema.parse(FIXED);
    const state = gridStrategy.initialState(params);
    const bar = ohlcBars([[96, 96, 96, 96]])[0]!;
    const first = gridStrategy.step(state, bar, flatContext(), params);
    expect(first.intents.map((i) => i.tag)).toEqual(['grid-0', 'grid-1']);
    // Next bar: grid-1's tag is gone but the position did not change.
    const second = gridStrategy.step(state, bar, flatContext({ workingOrderTags: ['grid-0'] }), params);
    expect(second.intents.map((i) => `${i.kind} ${i.tag}`)).toEqual(['entry grid-1']);
  });

  it('keeps its lots in step with the real engine on real data', () => {
    // Hourly EURUSD climbs from 1.07 to 1.25 with many swings: a ladder over that span trades often.
    // GOOG leaves an automatic 5% ladder within weeks (few trades; shorts then sit against an 8x rise).
    const cases = [
      ['EURUSD', { lower: 1.06, upper: 1.26, levels: 41 }, 100],
      ['EURUSD', { lower: 1.06, upper: 1.26, levels: 41, allowShort: true }, 50],
      ['GOOG', { rangePct: 5, levels: 12 }, 5],
      ['GOOG', { rangePct: 5, levels: 12, allowShort: true }, 5],
    ] as const;
    for (const [name, raw, minTrades] of cases) {
      const bars = readReferenceBars(name);
      const params: GridParams = gridStrategy.paramsSchema.parse(raw);
      const mismatches: string[] = [];
      let steps = 0;
      const checked: Strategy<GridParams, GridState> = {
        ...gridStrategy,
        step(state, bar, ctx, p) {
          const result = gridStrategy.step(state, bar, ctx, p);
          const s = result.state;
          // Every lot the strategy thinks it holds is one filled entry of fillQty units.
          let held = 0;
          for (let i = 0; i < s.phase.length; i++) if (s.phase[i] === 2) held += s.levelSide[i]! * s.fillQty;
          const actual = ctx.positionSide * ctx.positionQty;
          if (Math.abs(held - actual) > 1e-9 && mismatches.length < 3) mismatches.push(`bar ${steps}: strategy ${held}, engine ${actual}`);
          steps++;
          return result;
        },
      };
      const result = runBacktest(barSeriesFromBars(bars), checked, params, { ...DEFAULT_BACKTEST_CONFIG, shortAllowed: true });
      expect(mismatches).toEqual([]);
      // The automatic size lets every buy level fill at once; short lots can outgrow equity in a rally.
      if (!params.allowShort) expect(result.rejectedOrders).toBe(0);
      expect(result.trades.length).toBeGreaterThan(minTrades);
      expect(result.trades.some((t) => t.side === 'short')).toBe(params.allowShort);
    }
  });

  it('never emits a short entry in long-only mode', () => {
    const bars = readReferenceBars('EURUSD');
    for (const [params, shortAllowed] of [[{ rangePct: 5 }, true], [{ rangePct: 5, allowShort: true }, false]] as const) {
      const intents = allIntents(gridStrategy, params, bars, shortAllowed);
      expect(intents.length).toBeGreaterThan(10);
      expect(intents.filter((i) => i.kind === 'entry' && i.side === 'short')).toEqual([]);
    }
  });

  it('continues identically after a JSON round trip of its state at any bar', () => {
    expect(roundTripMismatches(gridStrategy, FIXED, LONG_BARS)).toEqual([]);
    const bars = readReferenceBars('EURUSD').slice(0, 600);
    expect(roundTripMismatches(gridStrategy, { rangePct: 2, levels: 8, allowShort: true }, bars)).toEqual([]);
  });

  it('needs no warmup beyond the first bar', () => {
    expect(gridStrategy.warmup(gridStrategy.paramsSchema.parse({}))).toBe(1);
  });

  it('has defaults for every param', () => {
    expect(gridStrategy.paramsSchema.parse({})).toEqual({
      lower: 0,
      upper: 0,
      rangePct: 10,
      levels: 10,
      step: 0,
      quantityPerLevel: 0,
      allowShort: false,
    });
  });

  it('rejects bad params with readable messages', () => {
    const cases: [unknown, string][] = [
      [{ lower: 90 }, 'set both lower and upper, or neither'],
      [{ lower: 110, upper: 90 }, 'upper must be above lower'],
      [{ step: 5 }, 'step needs explicit lower and upper'],
      [{ lower: 90, upper: 100, step: 20 }, 'step must fit at least two levels between lower and upper'],
      [{ levels: 1 }, 'levels must be at least 2'],
      [{ quantityPerLevel: -1 }, 'quantityPerLevel must be at least 0'],
      [{ rangePct: 0 }, 'rangePct must be above 0'],
    ];
    for (const [input, message] of cases) {
      const parsed = gridStrategy.paramsSchema.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.message).join('; ')).toContain(message);
    }
    // One mistake, one message: a missing upper is not also reported as "upper must be above lower".
    expect(gridStrategy.paramsSchema.safeParse({ lower: 90 }).error?.issues.map((i) => i.message)).toEqual([
      'set both lower and upper, or neither',
    ]);
  });
});
