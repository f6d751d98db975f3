/**
 * What a bot publishes to its tenant's live group (`tenant.{tenantId}.bots`) after each operation
 * that wrote something: its status, and the events, orders, fills and last equity point that
 * operation recorded, in the same views the REST API answers (no strategy state, no tenant id).
 * Live updates are a convenience for dashboards, not a record: the REST API stays the truth, and a
 * client that sees a gap in `fromSeq`/`toSeq` or a `dropped` count reloads from it.
 */
import type { BotStatus } from '../bots/bot-machine.js';
import type { BotEntityState, BotWrites } from '../bots/bot-operations.js';
import { paperFillSchema } from '../bots/execution-messages.js';
import { toBotEquityView, toBotEventView, toBotFillView, toBotOrderView, type BotEquityView, type BotEventView, type BotFillView, type BotOrderView } from './bots-views.js';

/** A bars batch can write thousands of records; a live message carries the newest of each kind. */
export const LIVE_UPDATE_MAX_ITEMS = 50;

export interface BotLiveUpdate {
  readonly botId: string;
  /** `deleted` when the operation deleted the bot. */
  readonly status: BotStatus | 'deleted';
  readonly configVersion: number | null;
  /** Event sequence numbers this operation wrote (null: none); consecutive updates of a bot continue the count. */
  readonly fromSeq: number | null;
  readonly toSeq: number | null;
  readonly events: readonly BotEventView[];
  readonly orders: readonly BotOrderView[];
  readonly fills: readonly BotFillView[];
  readonly equity: BotEquityView | null;
  /** Items left out because of LIVE_UPDATE_MAX_ITEMS: reload from the API to see them. */
  readonly truncated: boolean;
  readonly atMs: number;
}

/** What one send to a tenant's bots group carries (updates coalesce while a send is in flight). */
export interface BotLiveMessage {
  readonly type: 'bot.updates';
  readonly v: 1;
  readonly updates: readonly BotLiveUpdate[];
  /** Updates this publisher dropped since its last send because the service fell behind. */
  readonly dropped: number;
}

const newest = <T>(items: readonly T[]): readonly T[] => (items.length > LIVE_UPDATE_MAX_ITEMS ? items.slice(-LIVE_UPDATE_MAX_ITEMS) : items);

/** The live update for one operation's writes and resulting state (null: deleted); null when it wrote nothing. */
export function botLiveUpdate(botId: string, state: BotEntityState | null, writes: BotWrites, atMs: number): BotLiveUpdate | null {
  if (writes.events.length === 0 && writes.orders.length === 0 && writes.equity.length === 0 && writes.document === null) return null;
  const fills = writes.events.flatMap((event) => {
    if (event.type !== 'fill') return [];
    const fill = paperFillSchema.safeParse(event.data);
    return fill.success ? [toBotFillView(fill.data, event.seq)] : [];
  });
  const seqs = writes.events.map((e) => e.seq);
  const lastEquity = writes.equity[writes.equity.length - 1];
  return {
    botId,
    status: state ? state.machine.status : 'deleted',
    configVersion: state ? state.machine.configVersion : null,
    fromSeq: seqs.length > 0 ? Math.min(...seqs) : null,
    toSeq: seqs.length > 0 ? Math.max(...seqs) : null,
    events: newest(writes.events).map(toBotEventView),
    orders: newest(writes.orders).map(toBotOrderView),
    fills: newest(fills),
    equity: lastEquity ? toBotEquityView(lastEquity) : null,
    truncated: writes.events.length > LIVE_UPDATE_MAX_ITEMS || writes.orders.length > LIVE_UPDATE_MAX_ITEMS || fills.length > LIVE_UPDATE_MAX_ITEMS,
    atMs,
  };
}

export const tenantBotsGroup = (tenantId: string): string => `tenant.${tenantId}.bots`;
