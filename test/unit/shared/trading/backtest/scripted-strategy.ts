/**
 * Test helpers: a strategy that emits scripted intents at given bars and records what it saw, and a
 * builder for small hand-written bar sequences (one bar per UTC day from Monday 2024-01-01).
 */
import { z } from 'zod';
import type { BacktestConfig } from '../../../../../shared/trading/backtest/backtest-types.js';
import type { OrderIntent, StepResult, Strategy, StrategyContext } from '../../../../../shared/trading/strategies/strategy.js';
import { NO_INTENTS, STRATEGY_API_VERSION } from '../../../../../shared/trading/strategies/strategy.js';
import type { BarSeries } from '../../../../../shared/trading/types.js';

export const DAY_MS = 86_400_000;
export const MONDAY_2024_01_01_MS = Date.UTC(2024, 0, 1);

export interface ScriptParams extends Record<string, unknown> {
  /** Intents to emit at the close of bar i. */
  readonly script: Readonly<Record<number, readonly OrderIntent[]>>;
  /** Filled with a copy of the context at every step. */
  readonly seen: StrategyContext[];
}

export const scriptedStrategy: Strategy<ScriptParams, { bar: number }> = {
  apiVersion: STRATEGY_API_VERSION,
  id: 'scripted',
  name: 'scripted (tests)',
  description: 'Emits the intents of its script.',
  paramsSchema: z.custom<ScriptParams>(),
  warmup: () => 1,
  initialState: () => ({ bar: 0 }),
  step(state, _bar, ctx, params): StepResult<{ bar: number }> {
    params.seen.push({ ...ctx, workingOrderTags: [...ctx.workingOrderTags] });
    const intents = params.script[state.bar] ?? NO_INTENTS;
    state.bar++;
    return { state, intents };
  },
};

export function script(entries: Record<number, readonly OrderIntent[]>): ScriptParams {
  return { script: entries, seen: [] };
}

/** Bars as [open, high, low, close]; one a day. */
export function bars(rows: readonly (readonly [number, number, number, number])[], stepMs = DAY_MS): BarSeries {
  const n = rows.length;
  const series = {
    length: n,
    timeMs: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n).fill(1000),
  };
  rows.forEach(([open, high, low, close], i) => {
    series.timeMs[i] = MONDAY_2024_01_01_MS + i * stepMs;
    series.open[i] = open;
    series.high[i] = high;
    series.low[i] = low;
    series.close[i] = close;
  });
  return series;
}

/** A flat bar at `price`. */
export const flat = (price: number): [number, number, number, number] => [price, price, price, price];

export function config(overrides: Partial<BacktestConfig> = {}): BacktestConfig {
  return {
    cash: 1000,
    commission: { rate: 0, fixed: 0 },
    slippageBps: 0,
    sizing: { mode: 'fraction', value: 0.9999 },
    lotStep: 1,
    shortAllowed: true,
    ...overrides,
  };
}

export const buy = (extra: Partial<Extract<OrderIntent, { kind: 'entry' }>> = {}): OrderIntent => ({
  kind: 'entry', side: 'long', type: 'market', reason: 'test buy', ...extra,
});
export const sell = (extra: Partial<Extract<OrderIntent, { kind: 'entry' }>> = {}): OrderIntent => ({
  kind: 'entry', side: 'short', type: 'market', reason: 'test sell', ...extra,
});
export const exit = (extra: Partial<Extract<OrderIntent, { kind: 'exit' }>> = {}): OrderIntent => ({
  kind: 'exit', type: 'market', reason: 'test exit', ...extra,
});
