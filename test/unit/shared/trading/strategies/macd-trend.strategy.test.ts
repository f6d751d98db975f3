import { macd } from '../../../../../shared/trading/indicators/macd.js';
import { macdTrendStrategy } from '../../../../../shared/trading/strategies/macd-trend.strategy.js';
import { allIntents, closeBars, readReferenceBars, roundTripMismatches, runStrategy, summarize } from './strategy-test-kit.js';

// fast = 1 (the close), slow = EMA(3) (alpha 1/2, seeded with the mean of the first three closes),
// signal = EMA(3) of the MACD line, seeded with the mean of its first three values (bars 2..4).
// bar:    0   1   2   3   4   5   6    7     8      9        10       11
// close:  10  10  10  10  10  14  6    10    16     8        9        9.5
// slow:   -   -   10  10  10  12  9    9.5   12.75  10.375   9.6875   9.59375
// macd:   -   -   0   0   0   2   -3   0.5   3.25   -2.375   -0.6875  -0.09375
// signal: -   -   -   -   0   1   -1   -0.25 1.5    -0.4375  -0.5625  -0.328125
// Crosses: 6 down (macd < 0), 7 up (macd > 0), 9 down (macd < 0), 11 up (macd < 0). Bar 5 is no
// cross: the lines were equal on bar 4.
const CLOSES = [10, 10, 10, 10, 10, 14, 6, 10, 16, 8, 9, 9.5];
const PARAMS = { fast: 1, slow: 3, signal: 3 };

describe('macdTrendStrategy', () => {
  it('goes long on the cross above the signal line and exits on the cross below', () => {
    const { signals } = runStrategy(macdTrendStrategy, PARAMS, closeBars(CLOSES));
    expect(summarize(signals)).toEqual(['7: long market', '9: exit market', '11: long market']);
  });

  it('reverses on every cross when allowShort is set', () => {
    const { signals } = runStrategy(macdTrendStrategy, { ...PARAMS, allowShort: true }, closeBars(CLOSES));
    expect(summarize(signals)).toEqual(['6: short market', '7: long market', '9: short market', '11: long market']);
  });

  it('with the zero-line filter only exits a short on a cross above that happens below zero', () => {
    const { signals } = runStrategy(
      macdTrendStrategy,
      { ...PARAMS, allowShort: true, zeroLineFilter: true },
      closeBars(CLOSES),
    );
    expect(summarize(signals)).toEqual(['6: short market', '7: long market', '9: short market', '11: exit market']);
    expect(signals[3]!.intents[0]!.reason).toBe('MACD(1,3,3) crossed above its signal line: exit short');
  });

  it('with the zero-line filter in long-only mode skips the long entry below zero', () => {
    const { signals } = runStrategy(macdTrendStrategy, { ...PARAMS, zeroLineFilter: true }, closeBars(CLOSES));
    expect(summarize(signals)).toEqual(['7: long market', '9: exit market']);
    expect(signals[0]!.intents[0]!.reason).toBe('MACD(1,3,3) crossed above its signal line above zero: go long');
  });

  it('fires exactly at the crosses of the MACD indicator on real data', () => {
    const bars = readReferenceBars('GOOG');
    const series = macd(bars.map((b) => b.close), { fastPeriod: 12, slowPeriod: 26, signalPeriod: 9 });
    const expected: number[] = [];
    for (let i = 1; i < bars.length; i++) {
      const [m0, s0, m1, s1] = [series.macd[i - 1]!, series.signal[i - 1]!, series.macd[i]!, series.signal[i]!];
      if ((m0 < s0 && m1 > s1) || (m0 > s0 && m1 < s1)) expected.push(i);
    }
    const { signals } = runStrategy(macdTrendStrategy, { allowShort: true }, bars);
    expect(expected.length).toBeGreaterThan(20);
    expect(signals.map((s) => s.bar)).toEqual(expected);
  });

  it('never emits a short entry in long-only mode', () => {
    const bars = readReferenceBars('EURUSD');
    for (const [params, shortAllowed] of [[{}, true], [{ allowShort: true }, false]] as const) {
      const intents = allIntents(macdTrendStrategy, params, bars, shortAllowed);
      expect(intents.length).toBeGreaterThan(0);
      expect(intents.filter((i) => i.kind === 'entry' && i.side === 'short')).toEqual([]);
    }
  });

  it('continues identically after a JSON round trip of its state at any bar', () => {
    expect(roundTripMismatches(macdTrendStrategy, { ...PARAMS, allowShort: true }, closeBars(CLOSES))).toEqual([]);
    expect(
      roundTripMismatches(macdTrendStrategy, { fast: 3, slow: 6, signal: 4, allowShort: true, zeroLineFilter: true }, readReferenceBars('BTCUSD')),
    ).toEqual([]);
  });

  it('warms up until the signal line is defined on bar warmup - 1', () => {
    const params = macdTrendStrategy.paramsSchema.parse({ fast: 3, slow: 7, signal: 4 });
    const series = macd(Array.from({ length: 30 }, (_, i) => Math.sin(i)), { fastPeriod: 3, slowPeriod: 7, signalPeriod: 4 });
    const warmup = macdTrendStrategy.warmup(params);
    expect(warmup).toBe(10);
    expect(Number.isNaN(series.signal[warmup - 2])).toBe(true);
    expect(Number.isNaN(series.signal[warmup - 1])).toBe(false);
  });

  it('has defaults for every param', () => {
    expect(macdTrendStrategy.paramsSchema.parse({})).toEqual({
      fast: 12,
      slow: 26,
      signal: 9,
      zeroLineFilter: false,
      allowShort: false,
    });
  });

  it('rejects bad params with readable messages', () => {
    const cases: [unknown, string][] = [
      [{ fast: 26, slow: 12 }, 'fast must be less than slow'],
      [{ signal: 0 }, 'signal must be at least 1'],
      [{ zeroLineFilter: 'yes' }, 'expected boolean'],
      [{ slow: 1.5 }, 'slow must be an integer'],
    ];
    for (const [input, message] of cases) {
      const parsed = macdTrendStrategy.paramsSchema.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.message).join('; ')).toContain(message);
    }
  });
});
