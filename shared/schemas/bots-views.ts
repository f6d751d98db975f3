/**
 * What the bots API answers, shared with the site: explicit allow-lists of fields built from the bot
 * entity's state (single bot, authoritative) or from the bot document (lists, a projection the entity
 * writes). The strategy's JSON state and internal counters never leave the server.
 */
import type { BotConfig } from '../bots/bot-config.js';
import type { BotStatus } from '../bots/bot-machine.js';
import type { BotEntityState } from '../bots/bot-operations.js';
import type { BotDocument, BotEquityRecord, BotEvent, BotOrderRecord } from '../bots/bot-records.js';
import type { PaperFill } from '../bots/execution-messages.js';

export type ConnectionModeView = 'paper' | 'sandbox' | 'live';

/** How the bot is doing right now; only in single-bot answers (read from the entity). */
export interface BotRuntimeView {
  readonly barsProcessed: number;
  readonly lastBarTimeMs: number | null;
  /** From the account's last view of the bot's book; null before the first bar. */
  readonly equity: number | null;
  readonly balance: number | null;
  readonly position: { readonly side: 'long' | 'short' | 'flat'; readonly quantity: number; readonly entryPrice: number | null } | null;
  /** Orders sent and not yet filled, cancelled, rejected or expired. */
  readonly openOrders: number;
  /** Last order sequence number used (client order ids are `{botId}-{seq}`). */
  readonly lastOrderSeq: number;
}

export interface BotView {
  readonly id: string;
  readonly name: string;
  readonly connectionId: string;
  /** Paper or live follows the connection; null when the connection no longer exists. */
  readonly mode: ConnectionModeView | null;
  readonly market: BotConfig['market'];
  readonly strategy: BotConfig['strategy'];
  readonly sizing: BotConfig['sizing'];
  readonly capital: number | null;
  readonly risk: BotConfig['risk'];
  readonly marketRules: BotConfig['marketRules'];
  readonly status: BotStatus;
  /** Why the bot is halted, faulted, stopping or was stopped (null otherwise). */
  readonly reason: { readonly code: string; readonly message: string } | null;
  /** The current config version; every change makes a new one (history: events of type `config-version`). */
  readonly configVersion: number;
  /** The config version the bot last started or resumed with; null before the first start. */
  readonly runningConfigVersion: number | null;
  readonly runtime: BotRuntimeView | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  /** Send back as If-Match to change the config. */
  readonly etag: string;
}

/** The ETag of a bot's config: it changes exactly when a new config version is made. */
export const botEtag = (configVersion: number): string => `"v${configVersion}"`;

function configFields(config: BotConfig) {
  return {
    name: config.name,
    connectionId: config.connectionId,
    market: config.market,
    strategy: config.strategy,
    sizing: config.sizing,
    capital: config.capital,
    risk: config.risk,
    marketRules: config.marketRules,
  };
}

export function botViewFromEntity(state: BotEntityState, mode: ConnectionModeView | null): BotView {
  const m = state.machine;
  const view = state.runner.view;
  return {
    id: state.botId,
    ...configFields(m.config),
    mode: m.connection?.mode ?? mode,
    status: m.status,
    reason: m.reason,
    configVersion: m.configVersion,
    runningConfigVersion: m.runningConfigVersion,
    runtime: {
      barsProcessed: state.runner.barsProcessed,
      lastBarTimeMs: state.runner.lastBarTimeMs,
      equity: view?.equity ?? null,
      balance: view?.balance ?? null,
      position: view
        ? { side: view.positionSide > 0 ? 'long' : view.positionSide < 0 ? 'short' : 'flat', quantity: view.positionQty, entryPrice: view.positionEntryPrice }
        : null,
      openOrders: Object.keys(state.openOrders).length,
      lastOrderSeq: state.runner.seq,
    },
    createdAtMs: m.createdAtMs,
    updatedAtMs: m.updatedAtMs,
    etag: botEtag(m.configVersion),
  };
}

export function botViewFromDocument(doc: BotDocument, mode: ConnectionModeView | null): BotView {
  return {
    id: doc.id,
    ...configFields(doc.config),
    mode,
    status: doc.status,
    reason: doc.reason,
    configVersion: doc.configVersion,
    runningConfigVersion: doc.runningConfigVersion,
    runtime: null,
    createdAtMs: doc.createdAtMs,
    updatedAtMs: doc.updatedAtMs,
    etag: botEtag(doc.configVersion),
  };
}

export interface BotEventView {
  readonly id: string;
  readonly seq: number;
  readonly type: BotEvent['type'];
  readonly atMs: number;
  readonly barTimeMs: number | null;
  readonly message: string;
  readonly code: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export const toBotEventView = (e: BotEvent): BotEventView => ({
  id: e.id, seq: e.seq, type: e.type, atMs: e.atMs, barTimeMs: e.barTimeMs, message: e.message, code: e.code, data: e.data,
});

export interface BotOrderView {
  readonly clientOrderId: string;
  readonly seq: number;
  readonly intent: BotOrderRecord['intent'];
  readonly status: BotOrderRecord['status'];
  readonly statusReason: string;
  readonly barTimeMs: number | null;
  readonly filledQuantity: number;
  readonly averagePrice: number | null;
  readonly fees: number;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export const toBotOrderView = (o: BotOrderRecord): BotOrderView => ({
  clientOrderId: o.id, seq: o.seq, intent: o.intent, status: o.status, statusReason: o.statusReason, barTimeMs: o.barTimeMs,
  filledQuantity: o.filledQuantity, averagePrice: o.averagePrice, fees: o.fees, createdAtMs: o.createdAtMs, updatedAtMs: o.updatedAtMs,
});

export interface BotFillView {
  readonly fillId: string;
  /** The order it fills; null for attached exits (stop-loss, take-profit, trailing stop) and liquidation. */
  readonly clientOrderId: string | null;
  readonly timeMs: number;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly price: number;
  readonly fee: number;
  readonly reason: string;
  readonly realizedPnl: number;
  /** The event that recorded it. */
  readonly eventSeq: number;
}

export const toBotFillView = (fill: PaperFill, eventSeq: number): BotFillView => ({
  fillId: fill.fillId, clientOrderId: fill.clientOrderId, timeMs: fill.timeMs, side: fill.side, quantity: fill.quantity, price: fill.price,
  fee: fill.fee, reason: fill.reason, realizedPnl: fill.realizedPnl, eventSeq,
});

export interface BotEquityView {
  readonly barTimeMs: number;
  readonly equity: number;
  readonly balance: number;
  readonly positionSide: 1 | -1 | 0;
  readonly positionQty: number;
  readonly close: number;
}

export const toBotEquityView = (q: BotEquityRecord): BotEquityView => ({
  barTimeMs: q.barTimeMs, equity: q.equity, balance: q.balance, positionSide: q.positionSide, positionQty: q.positionQty, close: q.close,
});

/** Answer of `POST /api/bots/{id}/{command}`. */
export interface BotCommandAnswer {
  readonly commandId: string;
  /** Whether the bot had applied the command when the answer was made (`bot` is then its state after it). */
  readonly applied: boolean;
  readonly bot: BotView;
}

export interface KillSwitchBotActionView {
  readonly botId: string;
  readonly action: 'stop' | 'kill' | 'none';
  readonly statusBefore: string;
  readonly statusAfter: string | null;
}

export interface KillSwitchView {
  readonly engaged: boolean;
  readonly flatten: boolean;
  readonly changedBy: string;
  readonly changedAtMs: number;
  readonly engagedAtMs: number | null;
  readonly lastRun: { readonly atMs: number; readonly bots: readonly KillSwitchBotActionView[] } | null;
}
