/**
 * What the gateway needs from an exchange connection, in the shape of ccxt pro's streaming API:
 * `watchTrades` resolves with the trades that arrived since the previous call and rejects when the
 * connection drops (the next call reconnects), `fetchOhlcv` answers the backfill. Implemented over
 * ccxt pro (real exchanges) and over the sim exchange's websocket + REST.
 *
 * A drop that happens between two calls does not always reject anything (ccxt silently opens a new
 * socket on the next call), so each batch also says whether the stream was re-established since the
 * previous batch: trades before it may be missing, and the gateway treats that as a gap.
 */
import type { Bar, Trade } from '../../market/market-types.js';
import type { Timeframe } from '../../market/timeframes.js';

export interface MarketDataExchange {
  readonly id: string;
  /** Loads the market list; symbols unknown to the exchange fail in watchTrades. */
  start(): Promise<void>;
  watchTrades(symbol: string): Promise<TradeBatch>;
  /** The exchange's bars from the bucket containing `sinceMs`, oldest first, at most `limit`. */
  fetchOhlcv(symbol: string, timeframe: Timeframe, sinceMs: number, limit: number): Promise<readonly Bar[]>;
  /** Stops the trade stream of one symbol (pending watchTrades calls reject). */
  unwatchTrades(symbol: string): Promise<void>;
  close(): Promise<void>;
}

export interface TradeBatch {
  readonly trades: readonly Trade[];
  /** The connection was re-established since the previous batch (trades may be missing before these). */
  readonly resumed: boolean;
}

/** Opens (or reuses) the connection of one exchange id, e.g. `sim` or `binance`. */
export type MarketDataExchangeProvider = (exchangeId: string) => Promise<MarketDataExchange>;

/** A watch was stopped on purpose (unwatch or close), not lost: the feed should not reconnect. */
export class WatchStoppedError extends Error {
  constructor(message = 'the trade stream was stopped') {
    super(message);
    this.name = 'WatchStoppedError';
  }
}
