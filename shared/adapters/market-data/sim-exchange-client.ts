/**
 * The gateway's connection to the sim exchange, with ccxt pro's semantics: one websocket shared by
 * all symbols, `watchTrades` resolves with the trades since the previous call, a dropped socket
 * rejects every pending watch and the next call reconnects and resubscribes that symbol.
 */
import { WebSocket, type RawData } from 'ws';
import type { Bar, Trade } from '../../market/market-types.js';
import { ohlcvToBar } from '../../market/market-types.js';
import type { Timeframe } from '../../market/timeframes.js';
import { WatchStoppedError, type MarketDataExchange, type TradeBatch } from './market-data-exchange.js';
import { ohlcvRowsSchema, restErrorSchema, serverFrameSchema, SIM_EXCHANGE_ID, SIM_REST_PREFIX, SIM_WS_PATH, simMarketsResponseSchema, type ServerFrame } from './sim-exchange-protocol.js';

export interface SimExchangeClientOptions {
  /** `http://127.0.0.1:<port>` of the sim exchange. */
  readonly restUrl: string;
  /** Defaults to the REST origin with ws:// and /ws. */
  readonly wsUrl?: string;
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

export class SimExchangeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SimExchangeError';
  }
}

interface SymbolStream {
  buffer: Trade[];
  waiter: { resolve: (trades: Trade[]) => void; reject: (e: Error) => void } | undefined;
  /** The subscription is live on the current socket. */
  subscribed: Promise<void> | undefined;
  /** The socket dropped while nobody was waiting: the next watch reports it after the buffered trades. */
  lost: Error | undefined;
}

interface PendingRequest {
  resolve: () => void;
  reject: (e: Error) => void;
}

export class SimExchangeClient implements MarketDataExchange {
  readonly id = SIM_EXCHANGE_ID;
  private readonly restUrl: string;
  private readonly wsUrl: string;
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private socket: WebSocket | undefined;
  private connecting: Promise<WebSocket> | undefined;
  private readonly streams = new Map<string, SymbolStream>();
  private readonly requests = new Map<number, PendingRequest>();
  private nextRequestId = 1;
  private closed = false;
  private symbols: Set<string> | undefined;

  constructor(options: SimExchangeClientOptions) {
    this.restUrl = options.restUrl.replace(/\/+$/, '');
    this.wsUrl = options.wsUrl ?? `${this.restUrl.replace(/^http/, 'ws')}${SIM_WS_PATH}`;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  async start(): Promise<void> {
    const markets = simMarketsResponseSchema.parse(await this.getJson('/markets'));
    this.symbols = new Set(markets.map((m) => m.symbol));
  }

  /** A drop always rejects (now or on the next call), so batches never report `resumed`. */
  async watchTrades(symbol: string): Promise<TradeBatch> {
    return { trades: await this.nextTrades(symbol), resumed: false };
  }

  private async nextTrades(symbol: string): Promise<readonly Trade[]> {
    if (this.closed) throw new WatchStoppedError('the sim exchange client is closed');
    if (this.symbols && !this.symbols.has(symbol)) throw new SimExchangeError('BAD_SYMBOL', `sim has no market ${symbol}`);
    let stream = this.streams.get(symbol);
    if (!stream) {
      stream = { buffer: [], waiter: undefined, subscribed: undefined, lost: undefined };
      this.streams.set(symbol, stream);
    }
    if (stream.buffer.length > 0) return this.drain(stream);
    if (stream.lost) {
      const lost = stream.lost;
      stream.lost = undefined;
      throw lost;
    }
    stream.subscribed ??= this.subscribe(symbol);
    const subscribing = stream.subscribed;
    try {
      await subscribing;
    } catch (e) {
      if (stream.subscribed === subscribing) stream.subscribed = undefined;
      throw e;
    }
    // Unwatched or closed while subscribing: nobody would ever resolve this watch.
    if (this.closed || this.streams.get(symbol) !== stream) throw new WatchStoppedError(`unwatched ${symbol}`);
    if (stream.buffer.length > 0) return this.drain(stream);
    if (stream.waiter) throw new Error(`watchTrades(${symbol}) is already waiting: one consumer per symbol`);
    const s = stream;
    return new Promise<Trade[]>((resolve, reject) => {
      s.waiter = { resolve, reject };
    });
  }

  async unwatchTrades(symbol: string): Promise<void> {
    const stream = this.streams.get(symbol);
    if (!stream) return;
    this.streams.delete(symbol);
    stream.waiter?.reject(new WatchStoppedError(`unwatched ${symbol}`));
    stream.waiter = undefined;
    const socket = this.socket;
    if (socket?.readyState === WebSocket.OPEN) {
      await this.request(socket, { op: 'unsubscribe', channel: 'trades', symbol }).catch(() => undefined);
    }
  }

  async fetchOhlcv(symbol: string, timeframe: Timeframe, sinceMs: number, limit: number): Promise<readonly Bar[]> {
    const query = new URLSearchParams({ symbol, timeframe, since: String(sinceMs), limit: String(limit) });
    const rows = ohlcvRowsSchema.parse(await this.getJson(`/ohlcv?${query.toString()}`));
    return rows.map(ohlcvToBar);
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopped = new WatchStoppedError('the sim exchange client is closed');
    this.failAll(stopped);
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close(1000, 'client closing');
        setTimeout(() => {
          socket.terminate();
          resolve();
        }, 1000).unref();
      });
    }
  }

  private drain(stream: SymbolStream): Trade[] {
    const trades = stream.buffer;
    stream.buffer = [];
    return trades;
  }

  private async subscribe(symbol: string): Promise<void> {
    const socket = await this.connect();
    await this.request(socket, { op: 'subscribe', channel: 'trades', symbol });
  }

  private connect(): Promise<WebSocket> {
    if (this.socket?.readyState === WebSocket.OPEN) return Promise.resolve(this.socket);
    this.connecting ??= new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(this.wsUrl, { perMessageDeflate: false, handshakeTimeout: this.connectTimeoutMs });
      const fail = (e: Error): void => {
        this.connecting = undefined;
        reject(new SimExchangeError('NETWORK', `cannot connect to the sim exchange at ${this.wsUrl}: ${e.message}`));
      };
      socket.once('error', fail);
      socket.once('open', () => {
        socket.off('error', fail);
        this.connecting = undefined;
        if (this.closed) {
          socket.terminate();
          reject(new WatchStoppedError('the sim exchange client is closed'));
          return;
        }
        this.socket = socket;
        socket.on('message', (data: RawData) => this.onFrame(data));
        socket.on('error', () => undefined);
        socket.on('close', (code: number) => this.onSocketClosed(socket, code));
        resolve(socket);
      });
    });
    return this.connecting;
  }

  private onSocketClosed(socket: WebSocket, code: number): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    if (this.closed) return;
    this.failAll(new SimExchangeError('NETWORK', `connection to the sim exchange lost (code ${code})`));
  }

  private failAll(error: Error): void {
    for (const stream of this.streams.values()) {
      stream.subscribed = undefined;
      const waiter = stream.waiter;
      stream.waiter = undefined;
      if (waiter) waiter.reject(error);
      else stream.lost = error;
    }
    for (const pending of this.requests.values()) pending.reject(error);
    this.requests.clear();
  }

  private request(socket: WebSocket, frame: { op: 'subscribe' | 'unsubscribe'; channel: 'trades'; symbol: string }): Promise<void> {
    const id = this.nextRequestId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.requests.delete(id);
        reject(new SimExchangeError('TIMEOUT', `no answer to ${frame.op} ${frame.symbol}`));
      }, this.requestTimeoutMs);
      timer.unref();
      this.requests.set(id, {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      socket.send(JSON.stringify({ ...frame, id }));
    });
  }

  private onFrame(data: RawData): void {
    let frame: ServerFrame;
    try {
      frame = serverFrameSchema.parse(JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8')));
    } catch {
      // A frame we cannot read means the stream can no longer be trusted: reconnect.
      this.socket?.terminate();
      return;
    }
    if ('channel' in frame) {
      const stream = this.streams.get(frame.symbol);
      if (!stream) return;
      for (const [timestampMs, price, amount, side, id] of frame.data) stream.buffer.push({ timestampMs, price, amount, side: side === 's' ? 'sell' : 'buy', id });
      const waiter = stream.waiter;
      if (waiter && stream.buffer.length > 0) {
        stream.waiter = undefined;
        waiter.resolve(this.drain(stream));
      }
      return;
    }
    const pending = this.requests.get(frame.id);
    if (!pending) return;
    this.requests.delete(frame.id);
    if ('error' in frame) pending.reject(new SimExchangeError(frame.error.code, frame.error.message));
    else pending.resolve();
  }

  private async getJson(path: string): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.restUrl}${SIM_REST_PREFIX}${path}`, { signal: AbortSignal.timeout(this.requestTimeoutMs) });
    } catch (e) {
      throw new SimExchangeError('NETWORK', `sim exchange REST ${path.split('?')[0] ?? ''} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    const body: unknown = await res.json();
    if (!res.ok) {
      const parsed = restErrorSchema.safeParse(body);
      throw new SimExchangeError(parsed.success ? parsed.data.error.code : 'HTTP', parsed.success ? parsed.data.error.message : `HTTP ${res.status}`);
    }
    return body;
  }
}
