/**
 * A webhook signal as the bot entity receives it (operation `signal`): already authenticated, parsed,
 * matched to the bot's market and de-duplicated by the intake (shared/signals). This file is the
 * contract between the intake and the bot; `planSignal` (signal-plan.ts) turns it into order intents.
 *
 * Plain JSON, validated again at the entity (entity inputs are a boundary).
 */
import { z } from 'zod';
import type { Sizing } from '../trading/strategies/strategy.js';

export const SIGNAL_ACTIONS = ['buy', 'sell', 'long', 'short', 'close', 'flat', 'exit_long', 'exit_short', 'pause', 'resume'] as const;
export type SignalAction = (typeof SIGNAL_ACTIONS)[number];

/** Actions that steer the bot rather than trade: accepted only when the hook allows control signals. */
export const CONTROL_ACTIONS: readonly SignalAction[] = ['pause', 'resume', 'close', 'flat'];
/** Actions that only bots with the `signal` strategy take. */
export const TRADING_ACTIONS: readonly SignalAction[] = ['buy', 'sell', 'long', 'short', 'exit_long', 'exit_short'];

export type MarketPosition = 'long' | 'short' | 'flat';

export interface SignalOrder {
  readonly action: SignalAction;
  /** null: entries use the bot's sizing, exits close the whole position. */
  readonly size: Sizing | null;
  readonly orderType: 'market' | 'limit';
  /** The limit price for limit orders; for market orders the alert's reference price (informational). */
  readonly price: number | null;
  readonly stopLoss: number | null;
  readonly takeProfit: number | null;
  /** TradingView's `{{strategy.market_position}}` after the order: disambiguates buy/sell. */
  readonly marketPosition: MarketPosition | null;
  readonly comment: string | null;
}

export interface BotSignalInput {
  /** Unique per signal; a re-delivered operation with a seen id must do nothing. */
  readonly signalId: string;
  /** `hook:<signalId>` for webhook signals, `user:<id>` for replays and tests. */
  readonly actor: string;
  /** When the signal reached the platform: the clock of every decision the signal causes. */
  readonly atMs: number;
  /** Test alert: evaluate (map, risk-check, record the decision) but place nothing. */
  readonly test: boolean;
  readonly order: SignalOrder;
}

const price = z.number().finite().positive();

export const signalSizeSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('quantity'), value: price }),
  z.strictObject({ mode: z.literal('fraction'), value: price.max(1) }),
  z.strictObject({ mode: z.literal('notional'), value: price }),
]);

export const signalOrderSchema: z.ZodType<SignalOrder> = z.strictObject({
  action: z.enum(SIGNAL_ACTIONS),
  size: signalSizeSchema.nullable(),
  orderType: z.enum(['market', 'limit']),
  price: price.nullable(),
  stopLoss: price.nullable(),
  takeProfit: price.nullable(),
  marketPosition: z.enum(['long', 'short', 'flat']).nullable(),
  comment: z.string().max(500).nullable(),
});

export const botSignalInputSchema: z.ZodType<BotSignalInput> = z.strictObject({
  signalId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  actor: z.string().min(1).max(200),
  atMs: z.number().int().nonnegative(),
  test: z.boolean(),
  order: signalOrderSchema,
});

export const isControlAction = (action: SignalAction): boolean => CONTROL_ACTIONS.includes(action);
export const isTradingAction = (action: SignalAction): boolean => TRADING_ACTIONS.includes(action);
