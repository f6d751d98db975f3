/**
 * What the bot entity writes to Cosmos: append-only events, order records, equity points and the bot
 * document (a projection of the entity for listing). Ids are deterministic — events from the bot's
 * event counter, orders from their client order id, equity from the bar time — so an operation that
 * runs again after a crash rewrites the same documents instead of adding new ones.
 */
import type { OrderIntent } from '../trading/strategies/strategy.js';
import type { BotConfig } from './bot-config.js';
import type { BotStatus } from './bot-machine.js';
import type { OrderStatus } from './execution-messages.js';

export const BOT_EVENT_TYPES = [
  'command', 'command-rejected', 'config-version', 'state-change', 'decision', 'risk-denial', 'order', 'order-update', 'fill',
  'reconcile', 'fault',
] as const;
export type BotEventType = (typeof BOT_EVENT_TYPES)[number];

export interface BotEvent {
  /** `{botId}-e{seq}`. */
  readonly id: string;
  readonly tenantId: string;
  readonly botId: string;
  /** Per bot, gap-free, in the order the bot saw things. */
  readonly seq: number;
  readonly type: BotEventType;
  readonly atMs: number;
  readonly barTimeMs: number | null;
  /** One human sentence (the strategy's reason, the risk message, …). */
  readonly message: string;
  readonly code: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export type BotOrderStatus = 'sent' | OrderStatus;

export interface BotOrderRecord {
  /** The client order id `{botId}-{seq}`. */
  readonly id: string;
  readonly tenantId: string;
  readonly botId: string;
  readonly seq: number;
  readonly intent: OrderIntent;
  readonly status: BotOrderStatus;
  readonly statusReason: string;
  readonly barTimeMs: number | null;
  readonly filledQuantity: number;
  /** Volume-weighted fill price; null before the first fill. */
  readonly averagePrice: number | null;
  readonly fees: number;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface BotEquityRecord {
  /** `{botId}-b{barTimeMs}`. */
  readonly id: string;
  readonly tenantId: string;
  readonly botId: string;
  readonly barTimeMs: number;
  readonly equity: number;
  readonly balance: number;
  readonly positionSide: 1 | -1 | 0;
  readonly positionQty: number;
  readonly close: number;
}

/** The bots container's document (read by listings and by the connections repository: `connectionId`, `status`). */
export interface BotDocument {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly connectionId: string;
  readonly status: BotStatus;
  readonly configVersion: number;
  readonly runningConfigVersion: number | null;
  readonly config: BotConfig;
  readonly reason: { readonly code: string; readonly message: string } | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly deleted: boolean;
}

/** Terminal order statuses: the record leaves the bot's state once it reaches one. */
export const TERMINAL_ORDER_STATUSES: readonly BotOrderStatus[] = ['rejected', 'cancelled', 'expired', 'filled'];
