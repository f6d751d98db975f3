/**
 * The `signal` strategy: a bot that trades purely on webhook signals (TradingView alerts and the
 * like, docs/webhooks.md). On bars it decides nothing — its orders come from the signals, which the
 * bot turns into the same order intents a strategy emits (shared/bots/signal-plan.ts), so sizing,
 * risk checks and the paper exchange treat them alike. Its params steer that translation.
 */
import { z } from 'zod';
import type { StepResult, Strategy } from './strategy.js';
import { NO_INTENTS, STRATEGY_API_VERSION } from './strategy.js';

export const signalParamsSchema = z.strictObject({
  reverseOnOpposite: z.boolean().default(false),
});

export type SignalParams = z.infer<typeof signalParamsSchema>;

/** Nothing to remember between bars: signals carry their own decisions. */
export interface SignalState {
  readonly bars: number;
}

export const signalStrategy: Strategy<SignalParams, SignalState> = {
  apiVersion: STRATEGY_API_VERSION,
  id: 'signal',
  name: 'Webhook signals',
  description: [
    'Trades only on webhook signals (TradingView alerts, 3Commas-style bodies, plain text); bars move no orders.',
    '`buy` opens or adds to a long and covers a short; `sell` closes a long and opens a short where the market allows it;',
    '`long`/`short` enter (reversing the opposite side), `exit_long`/`exit_short`/`close`/`flat` exit.',
    '',
    '| param | default | meaning |',
    '|---|---|---|',
    '| `reverseOnOpposite` | false | a `buy` while short (a `sell` while long) reverses the position instead of only closing it |',
  ].join('\n'),
  paramsSchema: signalParamsSchema,
  warmup: () => 1,
  initialState: () => ({ bars: 0 }),
  step(state: SignalState): StepResult<SignalState> {
    return { state: { bars: state.bars + 1 }, intents: NO_INTENTS };
  },
};
