/**
 * Wire protocol of the sim exchange, shaped like a ccxt-pro venue: REST for markets, OHLCV (ccxt's
 * `[timestamp, open, high, low, close, volume]` rows) and quotes; one websocket per client with
 * subscribe/unsubscribe requests and pushed trade batches. Trades travel as compact
 * `[timestampMs, price, amount, side, id]` rows because the stream is the hot path.
 */
import { z } from 'zod';

export const SIM_EXCHANGE_ID = 'sim';
export const SIM_WS_PATH = '/ws';
export const SIM_REST_PREFIX = '/api/v1';

export const clientFrameSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('subscribe'), channel: z.literal('trades'), symbol: z.string().min(1).max(64), id: z.number().int() }),
  z.object({ op: z.literal('unsubscribe'), channel: z.literal('trades'), symbol: z.string().min(1).max(64), id: z.number().int() }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export const tradeRowSchema = z.tuple([z.number(), z.number(), z.number(), z.enum(['b', 's']), z.string()]);
export type TradeRow = z.infer<typeof tradeRowSchema>;

export const serverFrameSchema = z.union([
  z.object({ id: z.number().int(), result: z.enum(['subscribed', 'unsubscribed']), symbol: z.string() }),
  z.object({ id: z.number().int(), error: z.object({ code: z.string(), message: z.string() }) }),
  z.object({ channel: z.literal('trades'), symbol: z.string(), data: z.array(tradeRowSchema) }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;

export const ohlcvRowsSchema = z.array(z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]));

export const simMarketInfoSchema = z.object({ symbol: z.string(), tickSize: z.number(), lotSize: z.number() });
export const simMarketsResponseSchema = z.array(simMarketInfoSchema);

export const quoteResponseSchema = z.object({ symbol: z.string(), timeMs: z.number(), bid: z.number(), ask: z.number(), mid: z.number(), last: z.number().nullable() });
export type QuoteResponse = z.infer<typeof quoteResponseSchema>;

export const restErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
