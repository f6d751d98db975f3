/**
 * EMA crossover: long when the fast EMA crosses above the slow EMA, out (or short) when it crosses below.
 * A cross needs both averages defined on the previous bar and on this one, and a strict change of order:
 * previous fast < slow and now fast > slow (or the mirror). Touching without crossing is no signal.
 *
 * Same conventions as sma-cross: a cross in the direction the position already has (possible after the
 * averages touched: above → equal → below is no cross) closes and re-opens it, re-sized from equity.
 */
import { z } from 'zod';
import type { Bar } from '../types.js';
import type { EmaState } from '../indicators/ema.js';
import { emaInit, emaUpdate } from '../indicators/ema.js';
import type { OrderIntent, StepResult, Strategy, StrategyContext } from './strategy.js';
import { NO_INTENTS, STRATEGY_API_VERSION } from './strategy.js';

export const emaCrossParamsSchema = z
  .strictObject({
    fast: z.number().int('fast must be an integer').min(1, 'fast must be at least 1').default(12),
    slow: z.number().int('slow must be an integer').min(2, 'slow must be at least 2').default(26),
    allowShort: z.boolean().default(false),
  })
  .refine((p) => p.fast < p.slow, { message: 'fast must be less than slow', path: ['fast'] });

export type EmaCrossParams = z.infer<typeof emaCrossParamsSchema>;

export interface EmaCrossState {
  fast: EmaState;
  slow: EmaState;
  /** Order of the averages on the previous bar: 1 fast above, -1 fast below, 0 equal or undefined. */
  prevOrder: -1 | 0 | 1;
}

interface EmaCrossIntents {
  readonly long: readonly OrderIntent[];
  readonly reopenLong: readonly OrderIntent[];
  readonly short: readonly OrderIntent[];
  readonly reopenShort: readonly OrderIntent[];
  readonly exitLong: readonly OrderIntent[];
}

function frozen(intents: OrderIntent[]): readonly OrderIntent[] {
  for (const intent of intents) Object.freeze(intent);
  return Object.freeze(intents);
}

// Built once per params object, so a signal bar allocates no strings.
const intentsByParams = new WeakMap<EmaCrossParams, EmaCrossIntents>();

function intentsFor(params: EmaCrossParams): EmaCrossIntents {
  let intents = intentsByParams.get(params);
  if (intents === undefined) {
    const above = `EMA(${params.fast}) crossed above EMA(${params.slow})`;
    const below = `EMA(${params.fast}) crossed below EMA(${params.slow})`;
    const goLong: OrderIntent = { kind: 'entry', side: 'long', type: 'market', reason: `${above}: go long` };
    const goShort: OrderIntent = { kind: 'entry', side: 'short', type: 'market', reason: `${below}: go short` };
    intents = {
      long: frozen([goLong]),
      reopenLong: frozen([{ kind: 'exit', type: 'market', reason: `${above}: re-enter long` }, goLong]),
      short: frozen([goShort]),
      reopenShort: frozen([{ kind: 'exit', type: 'market', reason: `${below}: re-enter short` }, goShort]),
      exitLong: frozen([{ kind: 'exit', type: 'market', reason: `${below}: exit long` }]),
    };
    intentsByParams.set(params, intents);
  }
  return intents;
}

export const emaCrossStrategy: Strategy<EmaCrossParams, EmaCrossState> = {
  apiVersion: STRATEGY_API_VERSION,
  id: 'ema-cross',
  name: 'EMA crossover',
  description: [
    'Trend following with two exponential moving averages of the close.',
    '',
    '- **Long**: EMA(`fast`) crosses above EMA(`slow`) — previous bar fast < slow, this bar fast > slow.',
    '- **Exit long**: EMA(`fast`) crosses below EMA(`slow`).',
    '- **Short** (only with `allowShort` and a market that allows shorting): the cross below opens a short',
    '  (reversing a long); the next cross above reverses back to long.',
    '- A cross in the direction already held (after the averages touched) closes and re-opens the position,',
    '  re-sized from equity, as `sma-cross` does.',
    '',
    'Orders are market orders decided at the close and filled at the next open, sized by the run default.',
    '',
    '| param | default | meaning |',
    '|---|---|---|',
    '| `fast` | 12 | fast EMA period (bars) |',
    '| `slow` | 26 | slow EMA period (bars), greater than `fast` |',
    '| `allowShort` | false | trade the short side too |',
  ].join('\n'),
  paramsSchema: emaCrossParamsSchema,

  warmup(params) {
    return params.slow;
  },

  initialState(params) {
    return { fast: emaInit({ period: params.fast }), slow: emaInit({ period: params.slow }), prevOrder: 0 };
  },

  step(state: EmaCrossState, bar: Bar, ctx: StrategyContext, params: EmaCrossParams): StepResult<EmaCrossState> {
    const fast = emaUpdate(state.fast, bar.close);
    const slow = emaUpdate(state.slow, bar.close);
    const prev = state.prevOrder;
    // NaN compares false both ways, so an undefined average yields 0 and can never start a cross.
    const order = fast > slow ? 1 : fast < slow ? -1 : 0;
    state.prevOrder = order;
    if (prev === -1 && order === 1) {
      return { state, intents: ctx.positionSide === 1 ? intentsFor(params).reopenLong : intentsFor(params).long };
    }
    if (prev === 1 && order === -1) {
      if (params.allowShort && ctx.shortAllowed) {
        return { state, intents: ctx.positionSide === -1 ? intentsFor(params).reopenShort : intentsFor(params).short };
      }
      if (ctx.positionSide === 1) return { state, intents: intentsFor(params).exitLong };
    }
    return { state, intents: NO_INTENTS };
  },
};
