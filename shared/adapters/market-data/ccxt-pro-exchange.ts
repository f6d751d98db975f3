/**
 * A real venue through ccxt pro: `watchTrades` (with ccxt's `newUpdates`, so each call returns only
 * the trades since the previous one), `fetchOHLCV` for backfills, `unWatchTrades` where supported.
 * ccxt reconnects by itself on the next watch call after a drop; the gateway's feed loop supplies the
 * backoff. For offline tests every REST and websocket origin can be sent to a local mock; ccxt needs
 * `loadHttpProxyAgent()` before it will open a plain ws:// URL (DESIGN.md findings).
 */
import type * as CcxtModule from 'ccxt';
import type { Exchange, Trade as CcxtTrade } from 'ccxt';
import type { Bar, Trade } from '../../market/market-types.js';
import type { Timeframe } from '../../market/timeframes.js';
import { WatchStoppedError, type MarketDataExchange, type TradeBatch } from './market-data-exchange.js';

export interface CcxtProOptions {
  /** Loopback origin (`http://127.0.0.1:4010`) that receives every REST and websocket call: tests only. */
  readonly mockOrigin?: string;
  readonly timeoutMs?: number;
  /** Extra ccxt `options` (e.g. `{ fetchMarkets: { types: ['spot'] } }`). */
  readonly ccxtOptions?: Record<string, unknown>;
  /** Loads the ccxt module (unit tests pass an in-memory fake; integration tests use the real ccxt). */
  readonly loadCcxt?: () => Promise<typeof CcxtModule>;
}

type ExchangeConstructor = new (config: Record<string, unknown>) => Exchange;

const LOOPBACK_ORIGIN = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/;

export async function openCcxtProExchange(exchangeId: string, options: CcxtProOptions = {}): Promise<MarketDataExchange> {
  const ccxt = await (options.loadCcxt ?? (() => import('ccxt')))();
  const pro = ccxt.pro as unknown as Record<string, ExchangeConstructor | undefined>;
  const Ctor = Object.prototype.hasOwnProperty.call(pro, exchangeId) ? pro[exchangeId] : undefined;
  if (!Ctor) throw new Error(`ccxt pro has no exchange "${exchangeId}"`);
  const exchange = new Ctor({ enableRateLimit: true, timeout: options.timeoutMs ?? 10_000, newUpdates: true, options: { ...options.ccxtOptions } });
  if (!exchange.has.watchTrades) throw new Error(`${exchangeId} has no trade stream in ccxt pro (watchTrades); the gateway builds bars from trades`);
  if (options.mockOrigin !== undefined) {
    if (!LOOPBACK_ORIGIN.test(options.mockOrigin)) throw new Error(`exchange mock origin ${options.mockOrigin} must be http://127.0.0.1:<port>`);
    exchange.urls.api = rewriteOrigins(exchange.urls.api, options.mockOrigin) as typeof exchange.urls.api;
    // ccxt refuses plain ws:// until its proxy agent module is loaded.
    await exchange.loadHttpProxyAgent();
  }
  return new CcxtProMarketData(exchange);
}

/** Rewrites every http(s) origin to `origin` and every ws(s) origin to its ws:// twin, keeping paths. */
export function rewriteOrigins(tree: unknown, origin: string): unknown {
  const wsOrigin = origin.replace(/^http/, 'ws');
  if (typeof tree === 'string') return tree.replace(/^https?:\/\/[^/]+/, origin).replace(/^wss?:\/\/[^/]+/, wsOrigin);
  if (Array.isArray(tree)) return tree.map((t) => rewriteOrigins(t, origin));
  if (tree && typeof tree === 'object') return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, rewriteOrigins(v, origin)]));
  return tree;
}

export class CcxtProMarketData implements MarketDataExchange {
  readonly id: string;
  private closed = false;
  /** The ccxt websocket client that carried each symbol's previous batch. */
  private readonly lastClient = new Map<string, object>();

  constructor(private readonly exchange: Exchange) {
    this.id = exchange.id;
  }

  async start(): Promise<void> {
    await this.exchange.loadMarkets();
  }

  async watchTrades(symbol: string): Promise<TradeBatch> {
    if (this.closed) throw new WatchStoppedError(`${this.id} is closed`);
    const raw = await this.exchange.watchTrades(symbol);
    const trades: Trade[] = [];
    for (const t of raw) {
      const trade = toTrade(t);
      if (trade) trades.push(trade);
    }
    // ccxt drops a closed client and opens a new one on the next watch, rejecting nothing when no
    // watch was pending: a different client object than last time means the stream was re-established.
    const client = this.clientOf(symbol);
    const previous = this.lastClient.get(symbol);
    if (client) this.lastClient.set(symbol, client);
    return { trades, resumed: previous !== undefined && client !== undefined && client !== previous };
  }

  private clientOf(symbol: string): object | undefined {
    for (const client of Object.values(this.exchange.clients)) {
      const subscriptions = (client as { subscriptions?: Record<string, unknown> }).subscriptions ?? {};
      if (Object.keys(subscriptions).some((hash) => hash.includes(symbol))) return client;
    }
    return undefined;
  }

  async fetchOhlcv(symbol: string, timeframe: Timeframe, sinceMs: number, limit: number): Promise<readonly Bar[]> {
    const rows = await this.exchange.fetchOHLCV(symbol, timeframe, sinceMs, limit);
    const bars: Bar[] = [];
    for (const row of rows) {
      const [openTimeMs, open, high, low, close, volume] = row;
      if ([openTimeMs, open, high, low, close].every((v) => typeof v === 'number' && Number.isFinite(v))) {
        bars.push({ openTimeMs: openTimeMs!, open: open!, high: high!, low: low!, close: close!, volume: typeof volume === 'number' ? volume : 0 });
      }
    }
    return bars;
  }

  async unwatchTrades(symbol: string): Promise<void> {
    this.lastClient.delete(symbol);
    if (this.exchange.has.unWatchTrades) await this.exchange.unWatchTrades(symbol);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.exchange.close();
  }
}

function toTrade(t: CcxtTrade): Trade | undefined {
  const { timestamp, price, amount } = t;
  if (typeof timestamp !== 'number' || typeof price !== 'number' || typeof amount !== 'number') return undefined;
  if (!Number.isFinite(price) || !Number.isFinite(amount)) return undefined;
  const trade: { timestampMs: number; price: number; amount: number; side?: 'buy' | 'sell'; id?: string } = { timestampMs: timestamp, price, amount };
  if (t.side === 'buy' || t.side === 'sell') trade.side = t.side;
  if (typeof t.id === 'string') trade.id = t.id;
  return trade;
}
