/**
 * Bollinger mean reversion: buy when the close comes back inside the bands from below the lower band,
 * take the profit at the middle band; shorts mirror this at the upper band.
 */
import { z } from 'zod';
import type { Bar } from '../types.js';
import type { BollingerState } from '../indicators/bollinger.js';
import { bollingerInit, bollingerUpdate } from '../indicators/bollinger.js';
import type { OrderIntent, StepResult, Strategy, StrategyContext } from './strategy.js';
import { NO_INTENTS, STRATEGY_API_VERSION } from './strategy.js';

export const bollingerReversionParamsSchema = z.strictObject({
  period: z.number().int('period must be an integer').min(2, 'period must be at least 2').max(100_000, 'period must be at most 100000').default(20),
  stdDevs: z.number().positive('stdDevs must be positive').max(100, 'stdDevs must be at most 100').default(2),
  allowShort: z.boolean().default(false),
});

export type BollingerReversionParams = z.infer<typeof bollingerReversionParamsSchema>;

export interface BollingerReversionState {
  bands: BollingerState;
  /** Where the previous close was: -1 below the lower band, 1 above the upper band, 0 inside or undefined. */
  prevZone: -1 | 0 | 1;
}

interface BollingerReversionIntents {
  readonly long: readonly OrderIntent[];
  readonly exitLong: readonly OrderIntent[];
  readonly short: readonly OrderIntent[];
  readonly exitShort: readonly OrderIntent[];
}

const intentsByParams = new WeakMap<BollingerReversionParams, BollingerReversionIntents>();

function intentsFor(p: BollingerReversionParams): BollingerReversionIntents {
  let intents = intentsByParams.get(p);
  if (intents === undefined) {
    const bands = `Bollinger(${p.period}, ${p.stdDevs})`;
    intents = {
      long: Object.freeze([Object.freeze({ kind: 'entry', side: 'long', type: 'market', reason: `Close came back above the lower ${bands} band: go long` } as const)]),
      exitLong: Object.freeze([Object.freeze({ kind: 'exit', type: 'market', reason: `Close reached the middle ${bands} band: exit long` } as const)]),
      short: Object.freeze([Object.freeze({ kind: 'entry', side: 'short', type: 'market', reason: `Close came back below the upper ${bands} band: go short` } as const)]),
      exitShort: Object.freeze([Object.freeze({ kind: 'exit', type: 'market', reason: `Close reached the middle ${bands} band: exit short` } as const)]),
    };
    intentsByParams.set(p, intents);
  }
  return intents;
}

export const bollingerReversionStrategy: Strategy<BollingerReversionParams, BollingerReversionState> = {
  apiVersion: STRATEGY_API_VERSION,
  id: 'bollinger-reversion',
  name: 'Bollinger reversion',
  description: [
    'Mean reversion with Bollinger bands of the close: middle = SMA(`period`), bands = middle ± `stdDevs` ×',
    'the population standard deviation of the same window.',
    '',
    '- **Long**: the previous close was below its lower band and this close is at or above this bar\'s lower band (reversing a short).',
    '- **Exit long**: the close is at or above the middle band.',
    '- **Short** (only with `allowShort` and a market that allows shorting): the previous close was above its',
    '  upper band and this close is at or below this bar\'s upper band (reversing a long).',
    '- **Exit short**: the close is at or below the middle band.',
    '',
    'Market orders decided at the close, filled at the next open, sized by the run default. There is no stop:',
    'a position stays open until it reaches the middle band or the opposite signal reverses it.',
    '',
    '| param | default | meaning |',
    '|---|---|---|',
    '| `period` | 20 | SMA and standard-deviation window (bars) |',
    '| `stdDevs` | 2 | band width in standard deviations |',
    '| `allowShort` | false | trade the short side too |',
  ].join('\n'),
  paramsSchema: bollingerReversionParamsSchema,

  warmup(params) {
    return params.period;
  },

  initialState(params) {
    return { bands: bollingerInit({ period: params.period, multiplier: params.stdDevs }), prevZone: 0 };
  },

  step(
    state: BollingerReversionState,
    bar: Bar,
    ctx: StrategyContext,
    params: BollingerReversionParams,
  ): StepResult<BollingerReversionState> {
    const bands = state.bands;
    const middle = bollingerUpdate(bands, bar.close);
    const close = bar.close;
    const prevZone = state.prevZone;
    // NaN bands (warmup) compare false both ways: zone 0, and no rule below can fire.
    state.prevZone = close < bands.lower ? -1 : close > bands.upper ? 1 : 0;
    const side = ctx.positionSide;
    if (side === 1) {
      if (close >= middle) return { state, intents: intentsFor(params).exitLong };
    } else if (prevZone === -1 && close >= bands.lower) {
      return { state, intents: intentsFor(params).long };
    }
    if (side === -1) {
      if (close <= middle) return { state, intents: intentsFor(params).exitShort };
    } else if (prevZone === 1 && close <= bands.upper && params.allowShort && ctx.shortAllowed) {
      return { state, intents: intentsFor(params).short };
    }
    return { state, intents: NO_INTENTS };
  },
};
