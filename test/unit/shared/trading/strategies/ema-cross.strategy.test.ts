import { ema } from '../../../../../shared/trading/indicators/ema.js';
import { emaCrossStrategy } from '../../../../../shared/trading/strategies/ema-cross.strategy.js';
import {
  allIntents,
  closeBars,
  describeIntent,
  flatContext,
  readReferenceBars,
  roundTripMismatches,
  runStrategy,
  summarize,
} from './strategy-test-kit.js';

// fast = 1 makes the fast "EMA" the close itself; the slow EMA(3) starts as the mean of the first three
// closes and then moves halfway (alpha = 2 / 4) towards each close:
// bar:   0   1   2   3     4     5      6       7       8
// close: 10  10  10  12    8     8      13      9       12
// slow:  -   -   10  11    9.5   8.75   10.875  9.9375  10.96875
// order: 0   0   0   +1    -1    -1     +1      -1      +1
// Bar 3 is no cross (the previous bar had fast == slow); bar 4 crosses down, 6 up, 7 down, 8 up.
const CLOSES = [10, 10, 10, 12, 8, 8, 13, 9, 12];
const PARAMS = { fast: 1, slow: 3 };

describe('emaCrossStrategy', () => {
  it('goes long on the cross above and exits on the cross below, ignoring a cross below while flat', () => {
    const { signals } = runStrategy(emaCrossStrategy, PARAMS, closeBars(CLOSES));
    expect(summarize(signals)).toEqual(['6: long market', '7: exit market', '8: long market']);
  });

  it('reverses between long and short when allowShort is set and the market allows it', () => {
    const { signals } = runStrategy(emaCrossStrategy, { ...PARAMS, allowShort: true }, closeBars(CLOSES));
    expect(summarize(signals)).toEqual(['4: short market', '6: long market', '7: short market', '8: long market']);
  });

  it('stays long-only when the market does not allow shorting even with allowShort', () => {
    const { signals } = runStrategy(emaCrossStrategy, { ...PARAMS, allowShort: true }, closeBars(CLOSES), {
      shortAllowed: false,
    });
    expect(summarize(signals)).toEqual(['6: long market', '7: exit market', '8: long market']);
  });

  it('does not treat touching averages as a cross', () => {
    // slow EMA(3) of 10,10,10 is 10 and the close stays 10: fast == slow throughout, then 12 lifts it above.
    const { signals } = runStrategy(emaCrossStrategy, PARAMS, closeBars([10, 10, 10, 10, 12, 12]));
    expect(signals).toEqual([]);
  });

  it('closes and re-opens a position a cross finds already on its side, like sma-cross', () => {
    const params = emaCrossStrategy.paramsSchema.parse({ ...PARAMS, allowShort: true });
    const run = (ctx: ReturnType<typeof flatContext>) => {
      const state = emaCrossStrategy.initialState(params);
      return closeBars(CLOSES.slice(0, 7)).map((bar) => emaCrossStrategy.step(state, bar, ctx, params).intents.map(describeIntent));
    };
    const long = run(flatContext({ positionSide: 1, positionQty: 1, positionEntryPrice: 10 }));
    expect(long[6]).toEqual(['exit market', 'long market']);
    const short = run(flatContext({ positionSide: -1, positionQty: 1, positionEntryPrice: 10 }));
    expect(short[4]).toEqual(['exit market', 'short market']);
  });

  it('gives every intent a human reason naming the averages', () => {
    const { signals } = runStrategy(emaCrossStrategy, { ...PARAMS, allowShort: true }, closeBars(CLOSES));
    const reasons = signals.flatMap((s) => s.intents.map((i) => i.reason));
    expect(reasons).toEqual([
      'EMA(1) crossed below EMA(3): go short',
      'EMA(1) crossed above EMA(3): go long',
      'EMA(1) crossed below EMA(3): go short',
      'EMA(1) crossed above EMA(3): go long',
    ]);
  });

  it('fires exactly at the crosses of the EMA indicator on real data', () => {
    const bars = readReferenceBars('GOOG');
    const closes = bars.map((b) => b.close);
    const fast = ema(closes, { period: 10 });
    const slow = ema(closes, { period: 30 });
    const expected: number[] = [];
    for (let i = 1; i < closes.length; i++) {
      const up = fast[i - 1]! < slow[i - 1]! && fast[i]! > slow[i]!;
      const down = fast[i - 1]! > slow[i - 1]! && fast[i]! < slow[i]!;
      if (up || down) expected.push(i);
    }
    const { signals } = runStrategy(emaCrossStrategy, { fast: 10, slow: 30, allowShort: true }, bars);
    expect(expected.length).toBeGreaterThan(20);
    expect(signals.map((s) => s.bar)).toEqual(expected);
  });

  it('never emits a short entry in long-only mode', () => {
    const bars = readReferenceBars('GOOG');
    for (const [params, shortAllowed] of [[{ fast: 5, slow: 20 }, true], [{ fast: 5, slow: 20, allowShort: true }, false]] as const) {
      const intents = allIntents(emaCrossStrategy, params, bars, shortAllowed);
      expect(intents.length).toBeGreaterThan(0);
      expect(intents.filter((i) => i.kind === 'entry' && i.side === 'short')).toEqual([]);
    }
  });

  it('continues identically after a JSON round trip of its state at any bar', () => {
    expect(roundTripMismatches(emaCrossStrategy, { ...PARAMS, allowShort: true }, closeBars(CLOSES))).toEqual([]);
    const bars = readReferenceBars('BTCUSD');
    expect(roundTripMismatches(emaCrossStrategy, { fast: 3, slow: 8, allowShort: true }, bars)).toEqual([]);
  });

  it('warms up for the slow period: the slow EMA is first defined on bar warmup - 1', () => {
    const params = emaCrossStrategy.paramsSchema.parse({ fast: 4, slow: 9 });
    const slow = ema(Array.from({ length: 20 }, (_, i) => i + 1), { period: 9 });
    const warmup = emaCrossStrategy.warmup(params);
    expect(warmup).toBe(9);
    expect(Number.isNaN(slow[warmup - 2])).toBe(true);
    expect(Number.isNaN(slow[warmup - 1])).toBe(false);
  });

  it('has defaults for every param', () => {
    expect(emaCrossStrategy.paramsSchema.parse({})).toEqual({ fast: 12, slow: 26, allowShort: false });
  });

  it('rejects bad params with readable messages', () => {
    const cases: [unknown, string][] = [
      [{ fast: 30, slow: 10 }, 'fast must be less than slow'],
      [{ fast: 2.5 }, 'fast must be an integer'],
      [{ fast: 0 }, 'fast must be at least 1'],
      [{ slow: 'x' }, 'expected number'],
      [{ fsat: 5 }, 'Unrecognized key: "fsat"'],
    ];
    for (const [input, message] of cases) {
      const parsed = emaCrossStrategy.paramsSchema.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.message).join('; ')).toContain(message);
    }
  });
});
