import { atr } from '../../../../../shared/trading/indicators/atr.js';
import { donchian } from '../../../../../shared/trading/indicators/donchian.js';
import { donchianBreakoutStrategy } from '../../../../../shared/trading/strategies/donchian-breakout.strategy.js';
import type { Bar } from '../../../../../shared/trading/types.js';
import { allIntents, ohlcBars, readReferenceBars, roundTripMismatches, runStrategy, summarize } from './strategy-test-kit.js';

// Each bar opens at its close with high = close + 0.5 and low = close - 0.5, except bar 3 (low 10.5).
// Channels are of the bars before the current one (entry: 3 bars, exit: 2 bars).
// bar  close  3-bar high  3-bar low  2-bar high  2-bar low
// 3    12     11.5                                          -> 12 > 11.5: long
// 4    13                                        9.5
// 5    12                                        10.5
// 6    11                 10.5                   11.5       -> 11 < 11.5: exit long (11 >= 10.5: no short)
// 7    10                 10.5                              -> 10 < 10.5: short when allowed
// 8    9                                 11.5
// 9    10                                10.5
// 10   11     10.5                       10.5               -> 11 > 10.5: long (reverses the short)
const CLOSES = [10, 11, 10, 12, 13, 12, 11, 10, 9, 10, 11];
const withRange = (closes: readonly number[]): Bar[] => {
  const bars = ohlcBars(closes.map((c) => [c, c + 0.5, c - 0.5, c] as const));
  bars[3] = { ...bars[3]!, low: 10.5 };
  return bars;
};
const BARS = withRange(CLOSES);
const PARAMS = { entryPeriod: 3, exitPeriod: 2, stopAtr: 0 };

describe('donchianBreakoutStrategy', () => {
  it('buys the breakout above the previous high and exits below the shorter channel low', () => {
    const { signals } = runStrategy(donchianBreakoutStrategy, PARAMS, BARS);
    expect(summarize(signals)).toEqual(['3: long market', '6: exit market', '10: long market']);
    expect(signals.map((s) => s.intents[0]!.reason)).toEqual([
      'Close broke above the 3-bar high: go long',
      'Close broke below the 2-bar low: exit long',
      'Close broke above the 3-bar high: go long',
    ]);
  });

  it('sells the breakdown short and lets an upside breakout reverse it when allowShort is set', () => {
    const { signals } = runStrategy(donchianBreakoutStrategy, { ...PARAMS, allowShort: true }, BARS);
    expect(summarize(signals)).toEqual(['3: long market', '6: exit market', '7: short market', '10: long market']);
  });

  it('exits a short above the exit channel when no long breakout happens', () => {
    // As above up to bar 8, then bar 9 closes at 8.5 (high 9) and bar 10 at 9.6: the 2-bar high before
    // bar 10 is max(9.5, 9) = 9.5, so the short exits; the 3-bar high is 10.5, so no long breakout.
    const bars = withRange([10, 11, 10, 12, 13, 12, 11, 10, 9, 8.5, 9.6]);
    const { signals } = runStrategy(donchianBreakoutStrategy, { ...PARAMS, allowShort: true }, bars);
    expect(summarize(signals)).toEqual(['3: long market', '6: exit market', '7: short market', '10: exit market']);
    expect(signals[3]!.intents[0]!.reason).toBe('Close broke above the 2-bar high: exit short');
  });

  it('does not count a close equal to the channel as a breakout', () => {
    // Bar 3 closes exactly at the previous 3-bar high (11.5).
    const bars = ohlcBars([10, 11, 10, 11.5].map((c) => [c, c + 0.5, c - 0.5, c] as const));
    expect(runStrategy(donchianBreakoutStrategy, PARAMS, bars).signals).toEqual([]);
  });

  it('attaches a stop stopAtr ATRs from the signal close', () => {
    // ATR(2), Wilder: true ranges 1.5, 1.5 (bars 1-2) -> 1.5; bar 3 TR 2.5 -> 2; then TR 1.5 each bar:
    // bar 7 -> 1.53125, bar 10 -> 1.50390625.
    const { signals } = runStrategy(donchianBreakoutStrategy, { ...PARAMS, atrPeriod: 2, stopAtr: 2, allowShort: true }, BARS);
    expect(summarize(signals)).toEqual([
      '3: long market sl=8',
      '6: exit market',
      '7: short market sl=13.0625',
      '10: long market sl=7.992188',
    ]);
    expect(signals[0]!.intents[0]!.reason).toBe('Close broke above the 3-bar high: go long with a stop 2 ATR(2) away');
  });

  it('waits for the ATR when the stop needs it', () => {
    // With ATR(5) the first decision bar is 5, so the breakout on bar 3 is not taken; the next one is on
    // bar 10. ATR(5): true ranges 1.5, 1.5, 2.5, 1.5, 1.5 -> 1.7 on bar 5, then TR 1.5 each bar ->
    // 1.66, 1.628, 1.6024, 1.58192, 1.565536 on bar 10: stop = 11 - 1.565536.
    const { signals } = runStrategy(donchianBreakoutStrategy, { ...PARAMS, atrPeriod: 5, stopAtr: 1 }, BARS);
    expect(summarize(signals)).toEqual(['10: long market sl=9.434464']);
    expect(donchianBreakoutStrategy.warmup(donchianBreakoutStrategy.paramsSchema.parse({ ...PARAMS, atrPeriod: 5, stopAtr: 1 }))).toBe(6);
  });

  it('agrees with the batch Donchian channel on real data', () => {
    const bars = readReferenceBars('GOOG');
    const high = bars.map((b) => b.high);
    const low = bars.map((b) => b.low);
    const entryCh = donchian(high, low, { period: 20 });
    const exitCh = donchian(high, low, { period: 10 });
    const expected: string[] = [];
    let long = false;
    for (let i = 20; i < bars.length; i++) {
      const close = bars[i]!.close;
      if (!long && close > entryCh.upper[i - 1]!) {
        expected.push(`${i}: long market`);
        long = true;
      } else if (long && close < exitCh.lower[i - 1]!) {
        expected.push(`${i}: exit market`);
        long = false;
      }
    }
    const { signals } = runStrategy(donchianBreakoutStrategy, { stopAtr: 0 }, bars);
    expect(expected.length).toBeGreaterThan(10);
    expect(summarize(signals)).toEqual(expected);
  });

  it('computes the stop from the batch ATR on real data', () => {
    const bars = readReferenceBars('GOOG');
    const atrValues = atr(bars.map((b) => b.high), bars.map((b) => b.low), bars.map((b) => b.close), { period: 20 });
    const { signals } = runStrategy(donchianBreakoutStrategy, {}, bars);
    const entries = signals.filter((s) => s.intents[0]!.kind === 'entry');
    expect(entries.length).toBeGreaterThan(5);
    for (const s of entries) {
      const intent = s.intents[0]!;
      expect(intent.kind === 'entry' && intent.stopLoss).toBeCloseTo(bars[s.bar]!.close - 2 * atrValues[s.bar]!, 9);
    }
  });

  it('never emits a short entry in long-only mode', () => {
    const bars = readReferenceBars('EURUSD');
    for (const [params, shortAllowed] of [[{}, true], [{ allowShort: true }, false]] as const) {
      const intents = allIntents(donchianBreakoutStrategy, params, bars, shortAllowed);
      expect(intents.length).toBeGreaterThan(0);
      expect(intents.filter((i) => i.kind === 'entry' && i.side === 'short')).toEqual([]);
    }
  });

  it('continues identically after a JSON round trip of its state at any bar', () => {
    expect(roundTripMismatches(donchianBreakoutStrategy, { ...PARAMS, atrPeriod: 2, stopAtr: 2, allowShort: true }, BARS)).toEqual([]);
    expect(roundTripMismatches(donchianBreakoutStrategy, { entryPeriod: 6, exitPeriod: 3, atrPeriod: 4, allowShort: true }, readReferenceBars('BTCUSD'))).toEqual([]);
  });

  it('warms up until the channels and the ATR are defined on bar warmup - 1', () => {
    const parse = (p: object) => donchianBreakoutStrategy.paramsSchema.parse(p);
    expect(donchianBreakoutStrategy.warmup(parse({}))).toBe(21);
    expect(donchianBreakoutStrategy.warmup(parse({ stopAtr: 0 }))).toBe(20);
    expect(donchianBreakoutStrategy.warmup(parse({ entryPeriod: 5, exitPeriod: 8, stopAtr: 0 }))).toBe(8);
    const series = Array.from({ length: 30 }, (_, i) => 10 + Math.sin(i));
    const atrValues = atr(series.map((c) => c + 1), series.map((c) => c - 1), series, { period: 20 });
    expect(Number.isNaN(atrValues[19])).toBe(true);
    expect(Number.isNaN(atrValues[20])).toBe(false);
  });

  it('has defaults for every param', () => {
    expect(donchianBreakoutStrategy.paramsSchema.parse({})).toEqual({
      entryPeriod: 20,
      exitPeriod: 10,
      atrPeriod: 20,
      stopAtr: 2,
      allowShort: false,
    });
  });

  it('rejects bad params with readable messages', () => {
    const cases: [unknown, string][] = [
      [{ stopAtr: -1 }, 'stopAtr must be at least 0'],
      [{ entryPeriod: 0 }, 'entryPeriod must be at least 1'],
      [{ exitPeriod: 2.5 }, 'exitPeriod must be an integer'],
      [{ allowShort: 1 }, 'expected boolean'],
    ];
    for (const [input, message] of cases) {
      const parsed = donchianBreakoutStrategy.paramsSchema.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.message).join('; ')).toContain(message);
    }
  });
});
