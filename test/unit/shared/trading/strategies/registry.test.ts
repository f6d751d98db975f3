import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBacktest } from '../../../../../shared/trading/backtest/backtest-engine.js';
import { DEFAULT_BACKTEST_CONFIG } from '../../../../../shared/trading/backtest/backtest-config.js';
import {
  STRATEGIES,
  STRATEGY_IDS,
  getStrategy,
  parseStrategyParams,
} from '../../../../../shared/trading/strategies/registry.js';
import { STRATEGY_API_VERSION } from '../../../../../shared/trading/strategies/strategy.js';
import { barSeriesFromBars } from '../../../../../shared/trading/types.js';
import { readReferenceBars, runStrategy } from './strategy-test-kit.js';

const STRATEGY_DOCS = readFileSync(join(__dirname, '../../../../../docs/strategies.md'), 'utf8');

const EXPECTED_IDS = [
  'sma-cross',
  'ema-cross',
  'rsi-reversion',
  'bollinger-reversion',
  'macd-trend',
  'donchian-breakout',
  'grid',
  'dca',
];

describe('strategy registry', () => {
  it('lists the eight built-in strategies once each, all on the current interface version', () => {
    expect(STRATEGY_IDS).toEqual(EXPECTED_IDS);
    expect(STRATEGIES.map((s) => s.id)).toEqual(EXPECTED_IDS);
    expect(STRATEGIES.every((s) => s.apiVersion === STRATEGY_API_VERSION)).toBe(true);
  });

  it('finds a strategy by id', () => {
    const found = getStrategy('grid');
    expect(found.ok && found.value.id).toBe('grid');
  });

  it('answers an unknown id with STRATEGY.UNKNOWN listing the available ids', () => {
    const found = getStrategy('sma-crossover');
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.error.code).toBe('STRATEGY.UNKNOWN');
    expect(found.error.message).toBe(`unknown strategy "sma-crossover"; available: ${EXPECTED_IDS.join(', ')}`);
  });

  it('fills in defaults for absent params', () => {
    const strategy = STRATEGIES.find((s) => s.id === 'ema-cross')!;
    expect(parseStrategyParams(strategy, { fast: 5 })).toEqual({ ok: true, value: { fast: 5, slow: 26, allowShort: false } });
    expect(parseStrategyParams(strategy, undefined)).toEqual({ ok: true, value: { fast: 12, slow: 26, allowShort: false } });
  });

  it('answers bad params with STRATEGY.INVALID_PARAMS carrying the zod messages and issues', () => {
    const strategy = STRATEGIES.find((s) => s.id === 'macd-trend')!;
    const parsed = parseStrategyParams(strategy, { fast: 30, slow: 10, signal: 'x' });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe('STRATEGY.INVALID_PARAMS');
    expect(parsed.error.message).toContain('invalid params for macd-trend');
    expect(parsed.error.message).toContain('expected number, received string');
    expect(parsed.error.message).toContain('→ at signal');
    expect(Array.isArray(parsed.error.details)).toBe(true);
  });

  describe.each(STRATEGIES.map((s) => [s.id, s] as const))('%s', (_id, strategy) => {
    const params: Record<string, unknown> = strategy.paramsSchema.parse({});

    it('has usable defaults, a positive warmup and an initial state that works after a JSON round trip', () => {
      expect(strategy.warmup(params)).toBeGreaterThanOrEqual(1);
      const bars = readReferenceBars('GOOG');
      const plain = runStrategy(strategy, {}, bars);
      const restored = runStrategy(strategy, {}, bars, { roundTripAt: 0 });
      expect(plain.signals.length).toBeGreaterThan(0);
      expect(restored.signals).toEqual(plain.signals);
    });

    it('documents every param with its default in its description and in docs/strategies.md', () => {
      expect(strategy.name.length).toBeGreaterThan(0);
      const section = STRATEGY_DOCS.split(/^## /m).find((part) => part.startsWith(`${strategy.id}\n`));
      expect(section).toBeDefined();
      for (const [name, value] of Object.entries(params)) {
        const row = `| \`${name}\` | ${String(value)} |`;
        expect(strategy.description).toContain(row);
        expect(section).toContain(row);
      }
      expect(section).toContain(`Warmup:`);
    });

    it('runs with its defaults through the engine on every reference data set', () => {
      for (const name of ['GOOG', 'EURUSD', 'BTCUSD'] as const) {
        const series = barSeriesFromBars(readReferenceBars(name));
        const result = runBacktest(series, strategy, params, DEFAULT_BACKTEST_CONFIG);
        expect(result.equity.length).toBe(series.length);
        expect(Number.isFinite(result.stats.equityFinal)).toBe(true);
      }
    });

    it('gives every intent a reason', () => {
      // A context that never shows a position or working order: every rule gets its chance to fire.
      const bars = readReferenceBars('GOOG').slice(0, 500);
      const state: unknown = strategy.initialState(params);
      let count = 0;
      for (const bar of bars) {
        const ctx = { positionSide: 0 as const, positionQty: 0, positionEntryPrice: NaN, equity: 1e4, cash: 1e4, workingOrderTags: [], shortAllowed: true };
        for (const intent of strategy.step(state, bar, ctx, params).intents) {
          expect(intent.reason.length).toBeGreaterThan(10);
          count++;
        }
      }
      expect(count).toBeGreaterThan(0);
    });
  });
});
