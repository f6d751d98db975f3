/**
 * MACD trend: long when the MACD line crosses above its signal line, out (or short) when it crosses
 * below. Optionally only trades crosses on the trend side of the zero line.
 */
import { z } from 'zod';
import type { Bar } from '../types.js';
import type { MacdState } from '../indicators/macd.js';
import { macdInit, macdUpdate } from '../indicators/macd.js';
import type { OrderIntent, StepResult, Strategy, StrategyContext } from './strategy.js';
import { NO_INTENTS, STRATEGY_API_VERSION } from './strategy.js';

const period = (name: string, fallback: number) =>
  z.number().int(`${name} must be an integer`).min(1, `${name} must be at least 1`).max(100_000, `${name} must be at most 100000`).default(fallback);

export const macdTrendParamsSchema = z
  .strictObject({
    fast: period('fast', 12),
    slow: period('slow', 26),
    signal: period('signal', 9),
    zeroLineFilter: z.boolean().default(false),
    allowShort: z.boolean().default(false),
  })
  .refine((p) => p.fast < p.slow, { message: 'fast must be less than slow', path: ['fast'] });

export type MacdTrendParams = z.infer<typeof macdTrendParamsSchema>;

export interface MacdTrendState {
  macd: MacdState;
  /** MACD line versus signal line on the previous bar: 1 above, -1 below, 0 equal or undefined. */
  prevOrder: -1 | 0 | 1;
}

interface MacdTrendIntents {
  readonly long: readonly OrderIntent[];
  readonly short: readonly OrderIntent[];
  readonly exitLong: readonly OrderIntent[];
  readonly exitShort: readonly OrderIntent[];
}

const intentsByParams = new WeakMap<MacdTrendParams, MacdTrendIntents>();

function intentsFor(p: MacdTrendParams): MacdTrendIntents {
  let intents = intentsByParams.get(p);
  if (intents === undefined) {
    const macd = `MACD(${p.fast},${p.slow},${p.signal})`;
    const above = `${macd} crossed above its signal line`;
    const below = `${macd} crossed below its signal line`;
    intents = {
      long: Object.freeze([Object.freeze({ kind: 'entry', side: 'long', type: 'market', reason: `${above}${p.zeroLineFilter ? ' above zero' : ''}: go long` } as const)]),
      short: Object.freeze([Object.freeze({ kind: 'entry', side: 'short', type: 'market', reason: `${below}${p.zeroLineFilter ? ' below zero' : ''}: go short` } as const)]),
      exitLong: Object.freeze([Object.freeze({ kind: 'exit', type: 'market', reason: `${below}: exit long` } as const)]),
      exitShort: Object.freeze([Object.freeze({ kind: 'exit', type: 'market', reason: `${above}: exit short` } as const)]),
    };
    intentsByParams.set(p, intents);
  }
  return intents;
}

export const macdTrendStrategy: Strategy<MacdTrendParams, MacdTrendState> = {
  apiVersion: STRATEGY_API_VERSION,
  id: 'macd-trend',
  name: 'MACD trend',
  description: [
    'Trend following on the MACD line (EMA(`fast`) − EMA(`slow`) of the close) and its signal line',
    '(EMA(`signal`) of the MACD line). A cross needs both lines defined on the previous bar and this one,',
    'with a strict change of order.',
    '',
    '- **Long**: the MACD line crosses above the signal line (with `zeroLineFilter`: only while the MACD line is above 0).',
    '- **Exit long**: the MACD line crosses below the signal line.',
    '- **Short** (only with `allowShort` and a market that allows shorting): the cross below opens a short',
    '  (with `zeroLineFilter`: only while the MACD line is below 0, otherwise it just exits the long).',
    '- **Exit short**: the cross above (reversing to long when the long rule also holds).',
    '',
    'Market orders decided at the close, filled at the next open, sized by the run default.',
    '',
    '| param | default | meaning |',
    '|---|---|---|',
    '| `fast` | 12 | fast EMA period, less than `slow` |',
    '| `slow` | 26 | slow EMA period |',
    '| `signal` | 9 | signal-line EMA period |',
    '| `zeroLineFilter` | false | enter long only above zero and short only below zero |',
    '| `allowShort` | false | trade the short side too |',
  ].join('\n'),
  paramsSchema: macdTrendParamsSchema,

  warmup(params) {
    // The signal line is defined from bar slow + signal - 2.
    return params.slow + params.signal - 1;
  },

  initialState(params) {
    return {
      macd: macdInit({ fastPeriod: params.fast, slowPeriod: params.slow, signalPeriod: params.signal }),
      prevOrder: 0,
    };
  },

  step(state: MacdTrendState, bar: Bar, ctx: StrategyContext, params: MacdTrendParams): StepResult<MacdTrendState> {
    const macdState = state.macd;
    const macd = macdUpdate(macdState, bar.close);
    const signal = macdState.signal;
    const prev = state.prevOrder;
    // NaN (or the null a JSON round trip leaves in an undefined output) never compares as strictly ordered.
    const order = macd > signal ? 1 : macd < signal ? -1 : 0;
    state.prevOrder = order;
    if (prev === -1 && order === 1) {
      if (!params.zeroLineFilter || macd > 0) {
        if (ctx.positionSide !== 1) return { state, intents: intentsFor(params).long };
      } else if (ctx.positionSide === -1) {
        return { state, intents: intentsFor(params).exitShort };
      }
    } else if (prev === 1 && order === -1) {
      if (params.allowShort && ctx.shortAllowed && (!params.zeroLineFilter || macd < 0)) {
        if (ctx.positionSide !== -1) return { state, intents: intentsFor(params).short };
      } else if (ctx.positionSide === 1) {
        return { state, intents: intentsFor(params).exitLong };
      }
    }
    return { state, intents: NO_INTENTS };
  },
};
