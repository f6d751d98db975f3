/**
 * RSI mean reversion: buy when the RSI climbs back out of the oversold zone, sell when it reaches the
 * exit level; shorts mirror this at the overbought zone. "Crosses up through L" means previous RSI < L
 * and this RSI >= L; "crosses down through L" means previous RSI > L and this RSI <= L.
 */
import { z } from 'zod';
import type { Bar } from '../types.js';
import type { RsiState } from '../indicators/rsi.js';
import { rsiInit, rsiUpdate } from '../indicators/rsi.js';
import type { OrderIntent, StepResult, Strategy, StrategyContext } from './strategy.js';
import { NO_INTENTS, STRATEGY_API_VERSION } from './strategy.js';

const level = (name: string, fallback: number) =>
  z.number().gt(0, `${name} must be above 0`).lt(100, `${name} must be below 100`).default(fallback);

export const rsiReversionParamsSchema = z
  .strictObject({
    period: z.number().int('period must be an integer').min(2, 'period must be at least 2').max(100_000, 'period must be at most 100000').default(14),
    oversold: level('oversold', 30),
    overbought: level('overbought', 70),
    longExit: level('longExit', 70),
    shortExit: level('shortExit', 30),
    allowShort: z.boolean().default(false),
  })
  .refine((p) => p.oversold < p.overbought, { message: 'oversold must be below overbought', path: ['oversold'] })
  .refine((p) => p.longExit > p.oversold, { message: 'longExit must be above oversold', path: ['longExit'] })
  .refine((p) => p.shortExit < p.overbought, { message: 'shortExit must be below overbought', path: ['shortExit'] });

export type RsiReversionParams = z.infer<typeof rsiReversionParamsSchema>;

export interface RsiReversionState {
  rsi: RsiState;
  /** RSI of the previous bar; -1 while undefined (JSON has no NaN). */
  prevRsi: number;
}

interface RsiReversionIntents {
  readonly long: readonly OrderIntent[];
  readonly exitLong: readonly OrderIntent[];
  readonly short: readonly OrderIntent[];
  readonly exitShort: readonly OrderIntent[];
}

const intentsByParams = new WeakMap<RsiReversionParams, RsiReversionIntents>();

function intentsFor(p: RsiReversionParams): RsiReversionIntents {
  let intents = intentsByParams.get(p);
  if (intents === undefined) {
    const rsi = `RSI(${p.period})`;
    intents = {
      long: Object.freeze([Object.freeze({ kind: 'entry', side: 'long', type: 'market', reason: `${rsi} crossed up through oversold ${p.oversold}: go long` } as const)]),
      exitLong: Object.freeze([Object.freeze({ kind: 'exit', type: 'market', reason: `${rsi} crossed up through ${p.longExit}: exit long` } as const)]),
      short: Object.freeze([Object.freeze({ kind: 'entry', side: 'short', type: 'market', reason: `${rsi} crossed down through overbought ${p.overbought}: go short` } as const)]),
      exitShort: Object.freeze([Object.freeze({ kind: 'exit', type: 'market', reason: `${rsi} crossed down through ${p.shortExit}: exit short` } as const)]),
    };
    intentsByParams.set(p, intents);
  }
  return intents;
}

export const rsiReversionStrategy: Strategy<RsiReversionParams, RsiReversionState> = {
  apiVersion: STRATEGY_API_VERSION,
  id: 'rsi-reversion',
  name: 'RSI reversion',
  description: [
    'Mean reversion on the RSI (Wilder) of the close. "Crosses up through L": previous RSI < L and this RSI ≥ L;',
    '"crosses down through L": previous RSI > L and this RSI ≤ L.',
    '',
    '- **Long**: RSI crosses up through `oversold` (reversing a short).',
    '- **Exit long**: RSI crosses up through `longExit`.',
    '- **Short** (only with `allowShort` and a market that allows shorting): RSI crosses down through `overbought` (reversing a long).',
    '- **Exit short**: RSI crosses down through `shortExit`.',
    '',
    'Market orders decided at the close, filled at the next open, sized by the run default. There is no stop:',
    'a position stays open until its exit rule fires.',
    '',
    '| param | default | meaning |',
    '|---|---|---|',
    '| `period` | 14 | RSI period (bars) |',
    '| `oversold` | 30 | long entry level, below `overbought` |',
    '| `overbought` | 70 | short entry level |',
    '| `longExit` | 70 | long exit level, above `oversold` |',
    '| `shortExit` | 30 | short exit level, below `overbought` |',
    '| `allowShort` | false | trade the short side too |',
  ].join('\n'),
  paramsSchema: rsiReversionParamsSchema,

  warmup(params) {
    // RSI is defined from bar `period` (it needs period + 1 closes).
    return params.period + 1;
  },

  initialState(params) {
    return { rsi: rsiInit({ period: params.period }), prevRsi: -1 };
  },

  step(state: RsiReversionState, bar: Bar, ctx: StrategyContext, params: RsiReversionParams): StepResult<RsiReversionState> {
    const rsi = rsiUpdate(state.rsi, bar.close);
    const prev = state.prevRsi;
    if (!(rsi >= 0)) return { state, intents: NO_INTENTS };
    state.prevRsi = rsi;
    if (prev < 0) return { state, intents: NO_INTENTS };
    const side = ctx.positionSide;
    if (rsi > prev) {
      if (side !== 1 && prev < params.oversold && rsi >= params.oversold) return { state, intents: intentsFor(params).long };
      if (side === 1 && prev < params.longExit && rsi >= params.longExit) return { state, intents: intentsFor(params).exitLong };
    } else if (rsi < prev) {
      if (side !== -1 && params.allowShort && ctx.shortAllowed && prev > params.overbought && rsi <= params.overbought) {
        return { state, intents: intentsFor(params).short };
      }
      if (side === -1 && prev > params.shortExit && rsi <= params.shortExit) return { state, intents: intentsFor(params).exitShort };
    }
    return { state, intents: NO_INTENTS };
  },
};
