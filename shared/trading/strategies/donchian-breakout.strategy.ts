/**
 * Donchian breakout, turtle style: enter when the close breaks out of the channel of the previous
 * `entryPeriod` bars, leave when it breaks the opposite side of the shorter `exitPeriod` channel, with
 * an optional stop `stopAtr` ATRs away attached to the entry.
 */
import { z } from 'zod';
import type { Bar } from '../types.js';
import type { AtrState } from '../indicators/atr.js';
import { atrInit, atrUpdate } from '../indicators/atr.js';
import type { DonchianState } from '../indicators/donchian.js';
import { donchianInit, donchianUpdate } from '../indicators/donchian.js';
import type { OrderIntent, StepResult, Strategy, StrategyContext } from './strategy.js';
import { NO_INTENTS, STRATEGY_API_VERSION } from './strategy.js';

const period = (name: string, fallback: number) =>
  z.number().int(`${name} must be an integer`).min(1, `${name} must be at least 1`).max(100_000, `${name} must be at most 100000`).default(fallback);

export const donchianBreakoutParamsSchema = z.strictObject({
  entryPeriod: period('entryPeriod', 20),
  exitPeriod: period('exitPeriod', 10),
  atrPeriod: period('atrPeriod', 20),
  stopAtr: z.number().min(0, 'stopAtr must be at least 0 (0 disables the stop)').max(1000, 'stopAtr must be at most 1000').default(2),
  allowShort: z.boolean().default(false),
});

export type DonchianBreakoutParams = z.infer<typeof donchianBreakoutParamsSchema>;

export interface DonchianBreakoutState {
  entry: DonchianState;
  exit: DonchianState;
  atr: AtrState;
  /** Bars seen, capped at the first decision bar; the channels of earlier bars are read before updating. */
  bars: number;
}

interface DonchianBreakoutText {
  readonly long: string;
  readonly short: string;
  readonly exitLong: readonly OrderIntent[];
  readonly exitShort: readonly OrderIntent[];
}

const textByParams = new WeakMap<DonchianBreakoutParams, DonchianBreakoutText>();

function textFor(p: DonchianBreakoutParams): DonchianBreakoutText {
  let text = textByParams.get(p);
  if (text === undefined) {
    const stop = p.stopAtr > 0 ? ` with a stop ${p.stopAtr} ATR(${p.atrPeriod}) away` : '';
    text = {
      long: `Close broke above the ${p.entryPeriod}-bar high: go long${stop}`,
      short: `Close broke below the ${p.entryPeriod}-bar low: go short${stop}`,
      exitLong: Object.freeze([Object.freeze({ kind: 'exit', type: 'market', reason: `Close broke below the ${p.exitPeriod}-bar low: exit long` } as const)]),
      exitShort: Object.freeze([Object.freeze({ kind: 'exit', type: 'market', reason: `Close broke above the ${p.exitPeriod}-bar high: exit short` } as const)]),
    };
    textByParams.set(p, text);
  }
  return text;
}

/** Index of the first bar on which every channel and (with a stop) the ATR can be read. */
function firstDecisionBar(p: DonchianBreakoutParams): number {
  return Math.max(p.entryPeriod, p.exitPeriod, p.stopAtr > 0 ? p.atrPeriod : 0);
}

function entry(side: 'long' | 'short', reason: string, stopLoss: number | undefined): readonly OrderIntent[] {
  // A stop at or beyond zero (a huge ATR multiple on a short history) cannot be placed: enter without it.
  return stopLoss !== undefined && stopLoss > 0
    ? [{ kind: 'entry', side, type: 'market', stopLoss, reason }]
    : [{ kind: 'entry', side, type: 'market', reason }];
}

export const donchianBreakoutStrategy: Strategy<DonchianBreakoutParams, DonchianBreakoutState> = {
  apiVersion: STRATEGY_API_VERSION,
  id: 'donchian-breakout',
  name: 'Donchian breakout',
  description: [
    'Turtle-style channel breakout. Channels are built from the bars *before* the current one: the',
    '`entryPeriod`-bar high is the highest high of the previous `entryPeriod` bars, and so on.',
    '',
    '- **Long**: the close is above the `entryPeriod`-bar high (reversing a short).',
    '- **Exit long**: the close is below the `exitPeriod`-bar low.',
    '- **Short** (only with `allowShort` and a market that allows shorting): the close is below the',
    '  `entryPeriod`-bar low (reversing a long).',
    '- **Exit short**: the close is above the `exitPeriod`-bar high.',
    '- **Stop**: with `stopAtr` > 0 every entry carries a stop-loss `stopAtr` × ATR(`atrPeriod`) away from',
    '  the signal close (below it for longs, above for shorts); the engine executes it intrabar. 0 disables it.',
    '',
    'Market orders decided at the close, filled at the next open, sized by the run default.',
    '',
    '| param | default | meaning |',
    '|---|---|---|',
    '| `entryPeriod` | 20 | breakout channel length (bars) |',
    '| `exitPeriod` | 10 | exit channel length (bars) |',
    '| `atrPeriod` | 20 | ATR period for the stop (Wilder) |',
    '| `stopAtr` | 2 | stop distance in ATRs; 0 = no stop |',
    '| `allowShort` | false | trade the short side too |',
  ].join('\n'),
  paramsSchema: donchianBreakoutParamsSchema,

  warmup(params) {
    // Channels of the previous N bars are complete on bar N - 1; the ATR is defined from bar atrPeriod.
    return Math.max(params.entryPeriod, params.exitPeriod, params.stopAtr > 0 ? params.atrPeriod + 1 : 0);
  },

  initialState(params) {
    return {
      entry: donchianInit({ period: params.entryPeriod }),
      exit: donchianInit({ period: params.exitPeriod }),
      atr: atrInit({ period: params.atrPeriod }),
      bars: 0,
    };
  },

  step(
    state: DonchianBreakoutState,
    bar: Bar,
    ctx: StrategyContext,
    params: DonchianBreakoutParams,
  ): StepResult<DonchianBreakoutState> {
    const entryCh = state.entry;
    const exitCh = state.exit;
    // The previous bars' channels, read before this bar joins them.
    const entryHigh = entryCh.upper;
    const entryLow = entryCh.lower;
    const exitHigh = exitCh.upper;
    const exitLow = exitCh.lower;
    donchianUpdate(entryCh, bar.high, bar.low);
    donchianUpdate(exitCh, bar.high, bar.low);
    // Without a stop the ATR is never read: skip its update.
    const atr = params.stopAtr > 0 ? atrUpdate(state.atr, bar.high, bar.low, bar.close) : 0;
    // Counting bars (rather than testing for NaN) also covers the null a JSON round trip leaves in an undefined channel.
    if (state.bars < firstDecisionBar(params)) {
      state.bars++;
      return { state, intents: NO_INTENTS };
    }
    const close = bar.close;
    const side = ctx.positionSide;
    const stopDistance = params.stopAtr > 0 ? params.stopAtr * atr : 0;
    if (close > entryHigh && side !== 1) {
      return { state, intents: entry('long', textFor(params).long, stopDistance > 0 ? close - stopDistance : undefined) };
    }
    if (close < entryLow && side !== -1 && params.allowShort && ctx.shortAllowed) {
      return { state, intents: entry('short', textFor(params).short, stopDistance > 0 ? close + stopDistance : undefined) };
    }
    if (side === 1 && close < exitLow) return { state, intents: textFor(params).exitLong };
    if (side === -1 && close > exitHigh) return { state, intents: textFor(params).exitShort };
    return { state, intents: NO_INTENTS };
  },
};
