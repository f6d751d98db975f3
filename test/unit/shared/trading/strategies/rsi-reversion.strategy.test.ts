import { rsi } from '../../../../../shared/trading/indicators/rsi.js';
import { rsiReversionStrategy } from '../../../../../shared/trading/strategies/rsi-reversion.strategy.js';
import { allIntents, closeBars, readReferenceBars, roundTripMismatches, runStrategy, summarize } from './strategy-test-kit.js';

// RSI(2), Wilder: the first averages are the means of the first two gains/losses (bar 2), then
// avg = (avg + x) / 2. RSI = 100 × gain / (gain + loss).
// bar:    0   1   2     3     4       5      6       7      8        9        10
// close:  10  11  12    11    9       10     12      13     12       10       11
// gain:   -   -   1     .5    .25     .625   1.3125  1.15625 .578125 .2890625 .64453125
// loss:   -   -   0     .5    1.25    .625   .3125   .15625 .578125  1.2890625 .64453125
// RSI:    -   -   100   50    16.67   50     80.77   88.10  50       18.32    50
// Long-only: up through 30 at 5 (long), up through 70 at 6 (exit), up through 30 at 10 (long).
// With shorts also: down through 70 at 3 (short) and 8 (short), down through 30 at 4 and 9 (exit short).
const CLOSES = [10, 11, 12, 11, 9, 10, 12, 13, 12, 10, 11];
const PARAMS = { period: 2 };

describe('rsiReversionStrategy', () => {
  it('buys when RSI leaves the oversold zone and sells when it reaches the exit level', () => {
    const { signals } = runStrategy(rsiReversionStrategy, PARAMS, closeBars(CLOSES));
    expect(summarize(signals)).toEqual(['5: long market', '6: exit market', '10: long market']);
    expect(signals.map((s) => s.intents[0]!.reason)).toEqual([
      'RSI(2) crossed up through oversold 30: go long',
      'RSI(2) crossed up through 70: exit long',
      'RSI(2) crossed up through oversold 30: go long',
    ]);
  });

  it('mirrors the rules on the short side when allowShort is set', () => {
    const { signals } = runStrategy(rsiReversionStrategy, { ...PARAMS, allowShort: true }, closeBars(CLOSES));
    expect(summarize(signals)).toEqual([
      '3: short market',
      '4: exit market',
      '5: long market',
      '6: exit market',
      '8: short market',
      '9: exit market',
      '10: long market',
    ]);
  });

  it('counts reaching a level exactly as crossing it', () => {
    // The RSI is exactly 50 on bars 5 and 10, coming from below.
    const { signals } = runStrategy(rsiReversionStrategy, { ...PARAMS, oversold: 50 }, closeBars(CLOSES));
    expect(summarize(signals)).toEqual(['5: long market', '6: exit market', '10: long market']);
  });

  it('holds until the exit level when it is set higher', () => {
    // longExit 85 is first reached on bar 7 (88.10).
    const { signals } = runStrategy(rsiReversionStrategy, { ...PARAMS, longExit: 85 }, closeBars(CLOSES));
    expect(summarize(signals)).toEqual(['5: long market', '7: exit market', '10: long market']);
  });

  it('does not go short when the market disallows it', () => {
    const { signals } = runStrategy(rsiReversionStrategy, { ...PARAMS, allowShort: true }, closeBars(CLOSES), {
      shortAllowed: false,
    });
    expect(summarize(signals)).toEqual(['5: long market', '6: exit market', '10: long market']);
  });

  it('fires exactly where the batch RSI crosses its levels on real data', () => {
    const bars = readReferenceBars('GOOG');
    const values = rsi(bars.map((b) => b.close), { period: 14 });
    const expected: string[] = [];
    let long = false;
    for (let i = 1; i < values.length; i++) {
      const [prev, now] = [values[i - 1]!, values[i]!];
      if (!long && prev < 30 && now >= 30) {
        expected.push(`${i}: long market`);
        long = true;
      } else if (long && prev < 70 && now >= 70) {
        expected.push(`${i}: exit market`);
        long = false;
      }
    }
    const { signals } = runStrategy(rsiReversionStrategy, {}, bars);
    expect(expected.length).toBeGreaterThan(10);
    expect(summarize(signals)).toEqual(expected);
  });

  it('never emits a short entry in long-only mode', () => {
    const bars = readReferenceBars('EURUSD');
    for (const [params, shortAllowed] of [[{}, true], [{ allowShort: true }, false]] as const) {
      const intents = allIntents(rsiReversionStrategy, params, bars, shortAllowed);
      expect(intents.length).toBeGreaterThan(0);
      expect(intents.filter((i) => i.kind === 'entry' && i.side === 'short')).toEqual([]);
    }
  });

  it('continues identically after a JSON round trip of its state at any bar', () => {
    expect(roundTripMismatches(rsiReversionStrategy, { ...PARAMS, allowShort: true }, closeBars(CLOSES))).toEqual([]);
    expect(roundTripMismatches(rsiReversionStrategy, { period: 4, allowShort: true }, readReferenceBars('BTCUSD'))).toEqual([]);
  });

  it('warms up until the RSI is defined on bar warmup - 1', () => {
    const params = rsiReversionStrategy.paramsSchema.parse({ period: 5 });
    const values = rsi(Array.from({ length: 20 }, (_, i) => 10 + Math.sin(i)), { period: 5 });
    const warmup = rsiReversionStrategy.warmup(params);
    expect(warmup).toBe(6);
    expect(Number.isNaN(values[warmup - 2])).toBe(true);
    expect(Number.isNaN(values[warmup - 1])).toBe(false);
  });

  it('has defaults for every param', () => {
    expect(rsiReversionStrategy.paramsSchema.parse({})).toEqual({
      period: 14,
      oversold: 30,
      overbought: 70,
      longExit: 70,
      shortExit: 30,
      allowShort: false,
    });
  });

  it('rejects bad params with readable messages', () => {
    const cases: [unknown, string][] = [
      [{ oversold: 80 }, 'oversold must be below overbought'],
      [{ longExit: 20 }, 'longExit must be above oversold'],
      [{ shortExit: 90 }, 'shortExit must be below overbought'],
      [{ overbought: 100 }, 'overbought must be below 100'],
      [{ period: 1 }, 'period must be at least 2'],
    ];
    for (const [input, message] of cases) {
      const parsed = rsiReversionStrategy.paramsSchema.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.message).join('; ')).toContain(message);
    }
  });
});
