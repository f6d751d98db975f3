/**
 * What the paper exchange and the bots exchange: order requests (bot → account), fills, order updates
 * and the account's view of a bot's book (account → bot). All plain JSON: they travel in entity signals.
 */
import { z } from 'zod';
import type { OpenOrderView } from '../trading/backtest/broker-snapshot.js';
import type { OrderIntent } from '../trading/strategies/strategy.js';
import type { Bar } from '../trading/types.js';

/** `{exchange}:{symbol}:{timeframe}`, e.g. `paper:GOOG:1d`; `sim:SIM-BTC~2fUSD:1m` for `SIM-BTC/USD`. */
export type MarketKey = string;

/**
 * Market keys are entity keys, which travel unencoded in the durable HTTP API's URL path, so every
 * character outside [A-Za-z0-9._-] is escaped as `~hh` (injective: `~` itself is escaped too).
 */
const escapeKeyPart = (part: string): string =>
  part.replace(/[^A-Za-z0-9._-]/g, (c) => `~${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

export function marketKey(market: { readonly exchange: string; readonly symbol: string; readonly timeframe: string }): MarketKey {
  return `${escapeKeyPart(market.exchange)}:${escapeKeyPart(market.symbol)}:${escapeKeyPart(market.timeframe)}`;
}

/** The market a market entity key stands for; undefined when the key is not one `marketKey` makes. */
export function parseMarketEntityKey(key: MarketKey): { exchange: string; symbol: string; timeframe: string } | undefined {
  const parts = key.split(':');
  if (parts.length !== 3 || parts.some((p) => p.length === 0 || !/^(?:[A-Za-z0-9._-]|~[0-9a-f]{2})+$/.test(p))) return undefined;
  const [exchange, symbol, timeframe] = parts.map((p) => p.replace(/~([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))) as [string, string, string];
  return { exchange, symbol, timeframe };
}

/** One order as a bot asks the account to place it; `clientOrderId` is `{botId}-{seq}`. */
export interface PaperOrderRequest {
  readonly clientOrderId: string;
  readonly seq: number;
  readonly intent: OrderIntent;
}

export type OrderStatus = 'accepted' | 'rejected' | 'cancelled' | 'expired' | 'partially-filled' | 'filled';

export interface OrderUpdate {
  readonly clientOrderId: string;
  readonly status: OrderStatus;
  readonly reason: string;
  /** The bar (or flatten time) at which it happened. */
  readonly atMs: number;
}

export interface PaperFill {
  /** `{botId}-f{n}`: deterministic, from the book's fill counter. */
  readonly fillId: string;
  readonly botId: string;
  /** The order it fills; null for attached exits (stop-loss, take-profit, trailing stop) and liquidation. */
  readonly clientOrderId: string | null;
  readonly timeMs: number;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly price: number;
  readonly fee: number;
  readonly reason: string;
  readonly remaining: number;
  readonly realizedPnl: number;
}

/** The account's view of one bot's book at a bar's close: what the strategy context is built from. */
export interface BookView {
  readonly positionSide: 1 | -1 | 0;
  readonly positionQty: number;
  /** null when flat (NaN does not survive JSON). */
  readonly positionEntryPrice: number | null;
  readonly equity: number;
  /** As the backtester defines it for strategies: equity minus the position's value at the close. */
  readonly cash: number;
  /** Initial capital + realized P&L − fees. */
  readonly balance: number;
  readonly workingOrderTags: readonly string[];
  readonly openOrders: readonly OpenOrderView[];
  readonly lastPrice: number | null;
  /** How many fills the book has made; a bot that saw fewer has missed some. */
  readonly fillCount: number;
  /** Highest order sequence number the account has seen from the bot. */
  readonly lastSeq: number;
}

/** What the account sends a bot for each bar: its fills and order updates first, then the bar. */
export interface BarDelivery {
  readonly botId: string;
  readonly market: MarketKey;
  readonly bar: Bar;
  /** When the bar reached the platform (the internal endpoint's clock); the risk checks' "now". */
  readonly receivedAtMs: number;
  readonly fills: readonly PaperFill[];
  readonly orderUpdates: readonly OrderUpdate[];
  readonly view: BookView;
}

/** Fills and updates outside a bar (kill switch flatten, order acceptance), sent at once. */
export interface AccountUpdate {
  readonly botId: string;
  readonly fills: readonly PaperFill[];
  readonly orderUpdates: readonly OrderUpdate[];
  readonly view: BookView;
}

// ---- zod schemas for the signals (entity inputs are a boundary) ----

const finite = z.number().finite();
export const barSchema = z.strictObject({
  timeMs: z.number().int(),
  open: finite.positive(),
  high: finite.positive(),
  low: finite.positive(),
  close: finite.positive(),
  volume: finite.nonnegative(),
}).refine((b) => b.high >= b.low && b.high >= Math.max(b.open, b.close) && b.low <= Math.min(b.open, b.close), {
  message: 'high must be the highest and low the lowest of open, high, low, close',
});

const sizingSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('fraction'), value: finite.positive() }),
  z.object({ mode: z.literal('quantity'), value: finite.positive() }),
  z.object({ mode: z.literal('notional'), value: finite.positive() }),
]);
const orderTypeSchema = z.enum(['market', 'limit', 'stop']);

export const orderIntentSchema: z.ZodType<OrderIntent> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('entry'),
    side: z.enum(['long', 'short']),
    type: orderTypeSchema,
    price: finite.positive().optional(),
    sizing: sizingSchema.optional(),
    stopLoss: finite.positive().optional(),
    takeProfit: finite.positive().optional(),
    trailingStop: finite.positive().optional(),
    tag: z.string().optional(),
    reason: z.string(),
  }),
  z.object({
    kind: z.literal('exit'),
    type: orderTypeSchema,
    price: finite.positive().optional(),
    quantity: finite.positive().optional(),
    tag: z.string().optional(),
    reason: z.string(),
  }),
  z.object({ kind: z.literal('cancel'), tag: z.string().optional(), reason: z.string() }),
]);

export const orderRequestSchema: z.ZodType<PaperOrderRequest> = z.object({
  clientOrderId: z.string().min(1).max(200),
  seq: z.number().int().positive(),
  intent: orderIntentSchema,
});

const openOrderSchema = z.object({
  clientOrderId: z.string().nullable(),
  kind: z.enum(['entry', 'exit']),
  side: z.enum(['long', 'short']).nullable(),
  type: orderTypeSchema,
  price: z.number().nullable(),
  tag: z.string().nullable(),
});

export const bookViewSchema: z.ZodType<BookView> = z.object({
  positionSide: z.union([z.literal(1), z.literal(-1), z.literal(0)]),
  positionQty: z.number(),
  positionEntryPrice: z.number().nullable(),
  equity: z.number(),
  cash: z.number(),
  balance: z.number(),
  workingOrderTags: z.array(z.string()),
  openOrders: z.array(openOrderSchema),
  lastPrice: z.number().nullable(),
  fillCount: z.number().int(),
  lastSeq: z.number().int(),
});

export const paperFillSchema: z.ZodType<PaperFill> = z.object({
  fillId: z.string(),
  botId: z.string(),
  clientOrderId: z.string().nullable(),
  timeMs: z.number(),
  side: z.enum(['buy', 'sell']),
  quantity: z.number(),
  price: z.number(),
  fee: z.number(),
  reason: z.string(),
  remaining: z.number(),
  realizedPnl: z.number(),
});

export const orderUpdateSchema: z.ZodType<OrderUpdate> = z.object({
  clientOrderId: z.string(),
  status: z.enum(['accepted', 'rejected', 'cancelled', 'expired', 'partially-filled', 'filled']),
  reason: z.string(),
  atMs: z.number(),
});

export const barDeliverySchema: z.ZodType<BarDelivery> = z.object({
  botId: z.string(),
  market: z.string(),
  bar: z.object({ timeMs: z.number(), open: z.number(), high: z.number(), low: z.number(), close: z.number(), volume: z.number() }),
  receivedAtMs: z.number(),
  fills: z.array(paperFillSchema),
  orderUpdates: z.array(orderUpdateSchema),
  view: bookViewSchema,
});

export const accountUpdateSchema: z.ZodType<AccountUpdate> = z.object({
  botId: z.string(),
  fills: z.array(paperFillSchema),
  orderUpdates: z.array(orderUpdateSchema),
  view: bookViewSchema,
});
