import { runBacktest } from '../../../../../shared/trading/backtest/backtest-engine.js';
import { DEFAULT_BACKTEST_CONFIG } from '../../../../../shared/trading/backtest/backtest-config.js';
import { dcaStrategy } from '../../../../../shared/trading/strategies/dca.strategy.js';
import { barSeriesFromBars } from '../../../../../shared/trading/types.js';
import { allIntents, closeBars, flatContext, readReferenceBars, roundTripMismatches, runStrategy, summarize } from './strategy-test-kit.js';

// Every bar opens at its close; market orders fill at the next bar's open, notional / price units.
// bar 0  close 100: base order                        -> 1 unit at 100 (bar 1)
// bar 2  close 96 <= 97 (3% below 100): safety order  -> 1.0526 units at 95 (bar 3)
// bar 3  3 bars after the base: scheduled order       -> 1.0526 units at 95 (bar 4)
//        average entry 300 / 3.1053 = 96.61, take-profit target 5% above = 101.44
// bar 5  close 101 < 101.44: hold
// bar 6  close 102 >= 101.44: take profit             -> closed at 100 (bar 7)
// bar 7  flat again: the next cycle's base order
const CLOSES = [100, 100, 96, 95, 95, 101, 102, 100, 100, 100];
const PARAMS = { orderNotional: 100, intervalBars: 3, safetyOrders: 1, deviationPct: 3, takeProfitPct: 5 };

describe('dcaStrategy', () => {
  it('runs a cycle of base, safety and scheduled orders up to the take profit, then restarts', () => {
    const { signals } = runStrategy(dcaStrategy, PARAMS, closeBars(CLOSES));
    expect(summarize(signals)).toEqual(['0: long market', '2: long market', '3: long market', '6: exit market', '7: long market']);
    expect(signals.map((s) => s.intents[0]!.reason)).toEqual([
      'DCA cycle start: buy 100 worth',
      'DCA safety order 1: close 96 is 3% or more below the last order at 100; buy 100 worth',
      'DCA scheduled order (every 3 bars): buy 100 worth',
      'DCA take profit: close 102 is 5% or more above the average entry 96.610169',
      'DCA cycle start: buy 100 worth',
    ]);
    for (const s of signals) {
      const intent = s.intents[0]!;
      if (intent.kind === 'entry') expect(intent.sizing).toEqual({ mode: 'notional', value: 100 });
    }
  });

  it('buys every intervalBars bars without safety orders until maxOrders', () => {
    const { signals } = runStrategy(dcaStrategy, { orderNotional: 100, intervalBars: 2, maxOrders: 3 }, closeBars(Array(10).fill(50)));
    expect(summarize(signals)).toEqual(['0: long market', '2: long market', '4: long market']);
  });

  it('scales successive safety orders by safetyScale', () => {
    // Each close is 10% under the previous one: safety orders on bars 1, 2, 3 (3 allowed).
    const { signals } = runStrategy(
      dcaStrategy,
      { orderNotional: 100, intervalBars: 50, safetyOrders: 3, deviationPct: 5, safetyScale: 2 },
      closeBars([100, 90, 81, 72.9, 65.61]),
    );
    expect(summarize(signals)).toEqual(['0: long market', '1: long market', '2: long market', '3: long market']);
    expect(signals.map((s) => (s.intents[0]!.kind === 'entry' ? s.intents[0]!.sizing?.value : undefined))).toEqual([100, 200, 400, 800]);
  });

  it('mirrors the cycle for direction short', () => {
    // The mirror image around 100: safety on a 3% rise, take profit 5% below the average entry
    // (300 / 2.9048 = 103.28, target 98.11: bar 5 at 99 holds, bar 6 at 98 exits).
    const closes = [100, 100, 104, 105, 105, 99, 98, 100, 100, 100];
    const { signals } = runStrategy(dcaStrategy, { ...PARAMS, direction: 'short' }, closeBars(closes));
    expect(summarize(signals)).toEqual(['0: short market', '2: short market', '3: short market', '6: exit market', '7: short market']);
  });

  it('does nothing short where the market disallows shorting', () => {
    const { signals } = runStrategy(dcaStrategy, { ...PARAMS, direction: 'short' }, closeBars(CLOSES), { shortAllowed: false });
    expect(signals).toEqual([]);
  });

  it('waits for the take-profit exit to close the position before the next cycle', () => {
    const params = dcaStrategy.paramsSchema.parse(PARAMS);
    const state = dcaStrategy.initialState(params);
    const [b0, b1] = closeBars([100, 110]);
    dcaStrategy.step(state, b0!, flatContext(), params);
    const long = flatContext({ positionSide: 1, positionQty: 1, positionEntryPrice: 100 });
    expect(dcaStrategy.step(state, b1!, long, params).intents.map((i) => i.kind)).toEqual(['exit']);
    // The exit has not filled yet: nothing new.
    expect(dcaStrategy.step(state, b1!, long, params).intents).toEqual([]);
    expect(dcaStrategy.step(state, b1!, flatContext(), params).intents.map((i) => i.reason)).toEqual(['DCA cycle start: buy 100 worth']);
  });

  it('accumulates and takes profits through the real engine', () => {
    const bars = readReferenceBars('GOOG');
    const params = dcaStrategy.paramsSchema.parse({ safetyOrders: 2 });
    const result = runBacktest(barSeriesFromBars(bars), dcaStrategy, params, DEFAULT_BACKTEST_CONFIG);
    expect(result.trades.length).toBeGreaterThan(20);
    expect(result.trades.every((t) => t.side === 'long')).toBe(true);
    // A take profit closes the whole position: no lot stays open across another lot's exit bar.
    const exitBars = [...new Set(result.trades.map((t) => t.exitBar))];
    expect(exitBars.length).toBeGreaterThan(5);
    const straddling = result.trades.filter((t) => exitBars.some((e) => t.entryBar < e && t.exitBar > e));
    expect(straddling).toEqual([]);
    expect(result.rejectedOrders).toBe(0);
  });

  it('never emits a short entry in long-only mode', () => {
    const intents = allIntents(dcaStrategy, {}, readReferenceBars('EURUSD'), true);
    expect(intents.length).toBeGreaterThan(10);
    expect(intents.filter((i) => i.kind === 'entry' && i.side === 'short')).toEqual([]);
  });

  it('continues identically after a JSON round trip of its state at any bar', () => {
    expect(roundTripMismatches(dcaStrategy, PARAMS, closeBars(CLOSES))).toEqual([]);
    expect(roundTripMismatches(dcaStrategy, { ...PARAMS, direction: 'short', safetyOrders: 3 }, readReferenceBars('BTCUSD'))).toEqual([]);
  });

  it('needs no warmup beyond the first bar', () => {
    expect(dcaStrategy.warmup(dcaStrategy.paramsSchema.parse({}))).toBe(1);
  });

  it('has defaults for every param', () => {
    expect(dcaStrategy.paramsSchema.parse({})).toEqual({
      orderNotional: 1000,
      intervalBars: 7,
      maxOrders: 8,
      safetyOrders: 0,
      deviationPct: 3,
      safetyScale: 1,
      takeProfitPct: 5,
      direction: 'long',
    });
  });

  it('rejects bad params with readable messages', () => {
    const cases: [unknown, string][] = [
      [{ orderNotional: 0 }, 'orderNotional must be positive'],
      [{ intervalBars: 0 }, 'intervalBars must be at least 1'],
      [{ takeProfitPct: -5 }, 'takeProfitPct must be above 0'],
      [{ direction: 'sideways' }, 'direction must be "long" or "short"'],
      [{ allowShort: true }, 'Unrecognized key: "allowShort"'],
    ];
    for (const [input, message] of cases) {
      const parsed = dcaStrategy.paramsSchema.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.message).join('; ')).toContain(message);
    }
  });
});
