/**
 * SMA crossover, the reference strategy of docs/backtesting.md: when SMA(fast) crosses above SMA(slow)
 * go long with everything; when it crosses below, go short with everything (`allowShort`) or just
 * exit the long. A cross needs both averages defined on the previous bar and this one and a strict
 * change of order (previous fast < slow and now fast > slow, or the mirror).
 *
 * Like the established tool it is checked against, a cross in the direction the position already has
 * (possible after the averages touched: above → equal → below is no cross) closes and re-opens it,
 * so the position is re-sized from current equity.
 */
import { z } from 'zod';
import type { SmaState } from '../indicators/sma.js';
import { smaInit, smaUpdate } from '../indicators/sma.js';
import type { Bar } from '../types.js';
import type { OrderIntent, StepResult, Strategy, StrategyContext } from './strategy.js';
import { NO_INTENTS, STRATEGY_API_VERSION } from './strategy.js';

export const smaCrossParamsSchema = z
  .strictObject({
    fast: z.number().int('fast must be an integer').min(1, 'fast must be at least 1').default(10),
    slow: z.number().int('slow must be an integer').min(2, 'slow must be at least 2').default(30),
    allowShort: z.boolean().default(false),
  })
  .refine((p) => p.fast < p.slow, { message: 'fast must be less than slow', path: ['fast'] });

export type SmaCrossParams = z.infer<typeof smaCrossParamsSchema>;

export interface SmaCrossState {
  fast: SmaState;
  slow: SmaState;
  /** Averages of the previous bar; meaningful only when `hasPrevious` (NaN does not survive JSON). */
  prevFast: number;
  prevSlow: number;
  hasPrevious: boolean;
}

function frozen(intents: OrderIntent[]): readonly OrderIntent[] {
  for (const intent of intents) Object.freeze(intent);
  return Object.freeze(intents);
}

const CROSSED_ABOVE = 'SMA(fast) crossed above SMA(slow)';
const CROSSED_BELOW = 'SMA(fast) crossed below SMA(slow)';
const EXIT_LONG: OrderIntent = { kind: 'exit', type: 'market', reason: `${CROSSED_BELOW}: exit long` };
const GO_LONG: OrderIntent = { kind: 'entry', side: 'long', type: 'market', reason: `${CROSSED_ABOVE}: go long` };
const GO_SHORT: OrderIntent = { kind: 'entry', side: 'short', type: 'market', reason: `${CROSSED_BELOW}: go short` };
const INTENTS = {
  long: frozen([GO_LONG]),
  reopenLong: frozen([{ kind: 'exit', type: 'market', reason: `${CROSSED_ABOVE}: re-enter long` }, GO_LONG]),
  short: frozen([GO_SHORT]),
  reopenShort: frozen([{ kind: 'exit', type: 'market', reason: `${CROSSED_BELOW}: re-enter short` }, GO_SHORT]),
  exitLong: frozen([EXIT_LONG]),
};

/**
 * Bars without a signal return one shared result per state object instead of a new one each bar:
 * the result is never mutated and the state is updated in place anyway, so sharing it is safe.
 */
let idleResult: StepResult<SmaCrossState> | undefined;
function idle(state: SmaCrossState): StepResult<SmaCrossState> {
  let result = idleResult;
  if (result === undefined || result.state !== state) idleResult = result = { state, intents: NO_INTENTS };
  return result;
}

export const smaCrossStrategy: Strategy<SmaCrossParams, SmaCrossState> = {
  apiVersion: STRATEGY_API_VERSION,
  id: 'sma-cross',
  name: 'SMA crossover',
  description: [
    'Trend following with two simple moving averages of the close.',
    '',
    '- **Long**: SMA(`fast`) crosses above SMA(`slow`) — previous bar fast < slow, this bar fast > slow,',
    '  both defined. Goes long with the whole default size (reversing a short).',
    '- **Exit long**: SMA(`fast`) crosses below SMA(`slow`).',
    '- **Short** (only with `allowShort` and a market that allows shorting): the cross below reverses',
    '  the long into a short with the whole default size.',
    '- A cross in the direction already held closes and re-opens the position (re-sized from equity).',
    '',
    'Market orders, decided at the close and filled at the next open.',
    '',
    '| param | default | meaning |',
    '|---|---|---|',
    '| `fast` | 10 | fast SMA period (bars) |',
    '| `slow` | 30 | slow SMA period (bars), greater than `fast` |',
    '| `allowShort` | false | trade the short side too |',
  ].join('\n'),
  paramsSchema: smaCrossParamsSchema,

  warmup(params) {
    return params.slow;
  },

  initialState(params) {
    return {
      fast: smaInit({ period: params.fast }),
      slow: smaInit({ period: params.slow }),
      prevFast: 0,
      prevSlow: 0,
      hasPrevious: false,
    };
  },

  step(state: SmaCrossState, bar: Bar, ctx: StrategyContext, params: SmaCrossParams): StepResult<SmaCrossState> {
    const fast = smaUpdate(state.fast, bar.close);
    const slow = smaUpdate(state.slow, bar.close);
    if (Number.isNaN(fast) || Number.isNaN(slow)) {
      state.hasPrevious = false;
      return idle(state);
    }
    const hadPrevious = state.hasPrevious;
    const prevFast = state.prevFast;
    const prevSlow = state.prevSlow;
    state.prevFast = fast;
    state.prevSlow = slow;
    state.hasPrevious = true;
    if (!hadPrevious) return idle(state);

    if (prevFast < prevSlow && fast > slow) {
      return { state, intents: ctx.positionSide === 1 ? INTENTS.reopenLong : INTENTS.long };
    }
    if (prevFast > prevSlow && fast < slow) {
      if (params.allowShort && ctx.shortAllowed) {
        return { state, intents: ctx.positionSide === -1 ? INTENTS.reopenShort : INTENTS.short };
      }
      if (ctx.positionSide === 1) return { state, intents: INTENTS.exitLong };
    }
    return idle(state);
  },
};
