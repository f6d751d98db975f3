import { bollinger } from '../../../../../shared/trading/indicators/bollinger.js';
import { bollingerReversionStrategy } from '../../../../../shared/trading/strategies/bollinger-reversion.strategy.js';
import { allIntents, closeBars, readReferenceBars, roundTripMismatches, runStrategy, summarize } from './strategy-test-kit.js';

// Bollinger(4, 1): middle = mean of the last 4 closes, bands = middle ± population std.
// bar  close  window         middle  std     lower   upper   zone
// 3    10     10 10 10 10    10      0       10      10      inside (equal is not outside)
// 4    6      10 10 10 6     9       1.732   7.268   10.732  below
// 5    9      10 10 6 9      8.75    1.639   7.111   10.389  inside  -> back above lower: long
// 6    8      10 6 9 8       8.25    1.479   6.771   9.729   inside  (8 < middle: hold)
// 7    9      6 9 8 9        8       1.225   6.775   9.225   inside  -> 9 >= middle: exit long
// 8    12     9 8 9 12       9.5     1.5     8       11      above
// 9    10     8 9 12 10      9.75    1.479   8.271   11.229  inside  -> back below upper: short
// 10   9      9 12 10 9      10      1.225   8.775   11.225  inside  -> 9 <= middle: exit short
// 11   5      12 10 9 5      9       2.550   6.450   11.550  below
// 12   4      10 9 5 4       7       2.550   4.450   9.550   below   (still below: no entry)
// 13   7      9 5 4 7        6.25    1.920   4.330   8.170   inside  -> long
const CLOSES = [10, 10, 10, 10, 6, 9, 8, 9, 12, 10, 9, 5, 4, 7];
const PARAMS = { period: 4, stdDevs: 1 };

describe('bollingerReversionStrategy', () => {
  it('checks the hand-computed band sides against the indicator', () => {
    const bands = bollinger(CLOSES, { period: 4, multiplier: 1 });
    const zones = CLOSES.map((c, i) => (c < bands.lower[i]! ? 'below' : c > bands.upper[i]! ? 'above' : 'inside'));
    expect(zones.slice(3)).toEqual(['inside', 'below', 'inside', 'inside', 'inside', 'above', 'inside', 'inside', 'below', 'below', 'inside']);
  });

  it('buys when the close comes back above the lower band and exits at the middle band', () => {
    const { signals } = runStrategy(bollingerReversionStrategy, PARAMS, closeBars(CLOSES));
    expect(summarize(signals)).toEqual(['5: long market', '7: exit market', '13: long market']);
    expect(signals[0]!.intents[0]!.reason).toBe('Close came back above the lower Bollinger(4, 1) band: go long');
    expect(signals[1]!.intents[0]!.reason).toBe('Close reached the middle Bollinger(4, 1) band: exit long');
  });

  it('mirrors the rules at the upper band when allowShort is set', () => {
    const { signals } = runStrategy(bollingerReversionStrategy, { ...PARAMS, allowShort: true }, closeBars(CLOSES));
    expect(summarize(signals)).toEqual(['5: long market', '7: exit market', '9: short market', '10: exit market', '13: long market']);
  });

  it('does not go short when the market disallows it', () => {
    const { signals } = runStrategy(bollingerReversionStrategy, { ...PARAMS, allowShort: true }, closeBars(CLOSES), {
      shortAllowed: false,
    });
    expect(summarize(signals)).toEqual(['5: long market', '7: exit market', '13: long market']);
  });

  it('never emits a short entry in long-only mode', () => {
    const bars = readReferenceBars('EURUSD');
    for (const [params, shortAllowed] of [[{}, true], [{ allowShort: true }, false]] as const) {
      const intents = allIntents(bollingerReversionStrategy, params, bars, shortAllowed);
      expect(intents.length).toBeGreaterThan(0);
      expect(intents.filter((i) => i.kind === 'entry' && i.side === 'short')).toEqual([]);
    }
  });

  it('trades both sides on real data when allowed', () => {
    const intents = allIntents(bollingerReversionStrategy, { allowShort: true }, readReferenceBars('GOOG'), true);
    expect(intents.some((i) => i.kind === 'entry' && i.side === 'short')).toBe(true);
    expect(intents.some((i) => i.kind === 'entry' && i.side === 'long')).toBe(true);
  });

  it('continues identically after a JSON round trip of its state at any bar', () => {
    expect(roundTripMismatches(bollingerReversionStrategy, { ...PARAMS, allowShort: true }, closeBars(CLOSES))).toEqual([]);
    expect(roundTripMismatches(bollingerReversionStrategy, { period: 5, stdDevs: 1.5, allowShort: true }, readReferenceBars('BTCUSD'))).toEqual([]);
  });

  it('warms up until the bands are defined on bar warmup - 1', () => {
    const params = bollingerReversionStrategy.paramsSchema.parse({ period: 6 });
    const bands = bollinger(Array.from({ length: 20 }, (_, i) => 10 + Math.sin(i)), { period: 6, multiplier: 2 });
    const warmup = bollingerReversionStrategy.warmup(params);
    expect(warmup).toBe(6);
    expect(Number.isNaN(bands.lower[warmup - 2])).toBe(true);
    expect(Number.isNaN(bands.lower[warmup - 1])).toBe(false);
  });

  it('has defaults for every param', () => {
    expect(bollingerReversionStrategy.paramsSchema.parse({})).toEqual({ period: 20, stdDevs: 2, allowShort: false });
  });

  it('rejects bad params with readable messages', () => {
    const cases: [unknown, string][] = [
      [{ stdDevs: 0 }, 'stdDevs must be positive'],
      [{ period: 1 }, 'period must be at least 2'],
      [{ period: 20.5 }, 'period must be an integer'],
      [{ multiplier: 2 }, 'Unrecognized key: "multiplier"'],
    ];
    for (const [input, message] of cases) {
      const parsed = bollingerReversionStrategy.paramsSchema.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.message).join('; ')).toContain(message);
    }
  });
});
