/**
 * The built-in `sim` exchange as a network service (websocket + REST on one port), so the gateway
 * reaches it exactly as it reaches a real venue: over a socket that can drop, with a REST API for
 * the backfill. Prices come from pure price sources (the seeded walk of shared/market/sim-market.ts,
 * CSV replays of shared/market/csv-replay-market.ts), evaluated at sim time (`clock`), which may run
 * faster than real time for tests and demos.
 *
 * REST: GET /api/v1/markets, /api/v1/time, /api/v1/quote?symbol=, /api/v1/ohlcv?symbol=&timeframe=&since=&limit=
 * WS /ws: {"op":"subscribe","channel":"trades","symbol":"SIM-BTC/USD","id":1} → ack, then pushed
 * {"channel":"trades","symbol":…,"data":[[ts,price,amount,"b"|"s",id],…]} every `pushIntervalMs`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { barToOhlcv } from '../../market/market-types.js';
import type { SimPriceSource } from '../../market/sim-market.js';
import { isTimeframe } from '../../market/timeframes.js';
import { clientFrameSchema, SIM_REST_PREFIX, SIM_WS_PATH, type ServerFrame, type TradeRow } from './sim-exchange-protocol.js';

export interface SimExchangeServerOptions {
  readonly markets: ReadonlyMap<string, SimPriceSource>;
  /** Sim time now (epoch ms); see simTimeMs in sim-market.ts. */
  readonly clock: () => number;
  readonly port?: number;
  readonly host?: string;
  /** How often subscribers get the trades since the previous push (real ms, default 50). */
  readonly pushIntervalMs?: number;
  /** Most OHLCV rows one request returns (default 1000, as Binance). */
  readonly maxOhlcvLimit?: number;
  readonly log?: (level: 'debug' | 'info' | 'warn', message: string) => void;
}

export interface SimExchangeStats {
  readonly connections: number;
  readonly tradesPushed: number;
  readonly framesPushed: number;
  readonly restRequests: number;
  readonly droppedConnections: number;
}

export interface SimExchangeServer {
  /** `http://127.0.0.1:<port>`: REST base; the websocket is at `ws://…/ws`. */
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly port: number;
  /**
   * Fault injection: cuts every websocket without a close handshake (a network drop) and, with
   * `refuseForMs`, refuses new websocket connections for that long (an outage); REST keeps working.
   */
  dropConnections(refuseForMs?: number): number;
  stats(): SimExchangeStats;
  stop(): Promise<void>;
}

interface Subscription {
  readonly symbol: string;
  readonly sockets: Set<WebSocket>;
  /** Trades up to (excluding) this sim time have been pushed. */
  cursorMs: number;
}

export async function startSimExchangeServer(options: SimExchangeServerOptions): Promise<SimExchangeServer> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';
  const maxLimit = options.maxOhlcvLimit ?? 1000;
  const subscriptions = new Map<string, Subscription>();
  const counters = { tradesPushed: 0, framesPushed: 0, restRequests: 0, droppedConnections: 0 };

  const server: Server = createServer((req, res) => {
    counters.restRequests++;
    handleRest(req, res);
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });

  let refuseUntilMs = 0;
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://sim').pathname !== SIM_WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    if (Date.now() < refuseUntilMs) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
      return;
    }
    socket.setNoDelay(true);
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function onConnection(ws: WebSocket): void {
    ws.on('message', (data: RawData) => onClientFrame(ws, data));
    ws.on('close', () => {
      for (const sub of subscriptions.values()) sub.sockets.delete(ws);
    });
    ws.on('error', () => undefined);
  }

  function send(ws: WebSocket, frame: ServerFrame): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  function onClientFrame(ws: WebSocket, data: RawData): void {
    let json: unknown;
    try {
      json = JSON.parse(rawText(data));
    } catch {
      ws.close(1003, 'frames must be JSON');
      return;
    }
    const parsed = clientFrameSchema.safeParse(json);
    if (!parsed.success) {
      ws.close(1008, 'unknown request');
      return;
    }
    const frame = parsed.data;
    if (!options.markets.has(frame.symbol)) {
      send(ws, { id: frame.id, error: { code: 'BAD_SYMBOL', message: `sim has no market ${frame.symbol}` } });
      return;
    }
    if (frame.op === 'subscribe') {
      let sub = subscriptions.get(frame.symbol);
      if (!sub) {
        sub = { symbol: frame.symbol, sockets: new Set(), cursorMs: options.clock() };
        subscriptions.set(frame.symbol, sub);
      }
      sub.sockets.add(ws);
      send(ws, { id: frame.id, result: 'subscribed', symbol: frame.symbol });
    } else {
      subscriptions.get(frame.symbol)?.sockets.delete(ws);
      send(ws, { id: frame.id, result: 'unsubscribed', symbol: frame.symbol });
    }
  }

  const pushTimer = setInterval(() => {
    const now = options.clock();
    for (const sub of subscriptions.values()) {
      if (sub.sockets.size === 0) {
        // Nobody listens: the next subscriber starts from its own subscription time.
        subscriptions.delete(sub.symbol);
        continue;
      }
      const market = options.markets.get(sub.symbol);
      if (!market || now <= sub.cursorMs) continue;
      const rows: TradeRow[] = [];
      market.forEachTrade(sub.cursorMs, now, (t) => rows.push([t.timestampMs, t.price, t.amount, t.side === 'sell' ? 's' : 'b', t.id ?? '']));
      sub.cursorMs = now;
      if (rows.length === 0) continue;
      const text = JSON.stringify({ channel: 'trades', symbol: sub.symbol, data: rows });
      for (const ws of sub.sockets) {
        if (ws.readyState !== WebSocket.OPEN) continue;
        ws.send(text);
        counters.framesPushed++;
        counters.tradesPushed += rows.length;
      }
    }
  }, options.pushIntervalMs ?? 50);

  function handleRest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, code: string, message: string): void => reply(status, { error: { code, message } });
    if (req.method !== 'GET') return fail(405, 'METHOD_NOT_ALLOWED', 'only GET');
    const path = url.pathname.startsWith(SIM_REST_PREFIX) ? url.pathname.slice(SIM_REST_PREFIX.length) : '';
    if (path === '/time') return reply(200, { serverTimeMs: options.clock() });
    if (path === '/markets') {
      return reply(
        200,
        [...options.markets.values()].map((m) => ({ symbol: m.spec.symbol, tickSize: m.spec.tickSize, lotSize: m.spec.lotSize })),
      );
    }
    const symbol = url.searchParams.get('symbol') ?? '';
    const market = options.markets.get(symbol);
    if (path === '/quote' || path === '/ohlcv') {
      if (!market) return fail(400, 'BAD_SYMBOL', `sim has no market ${symbol}`);
    }
    if (path === '/quote' && market) {
      const now = options.clock();
      return reply(200, { symbol, timeMs: now, ...market.quoteAt(now), last: market.lastTradeAt(now)?.price ?? null });
    }
    if (path === '/ohlcv' && market) {
      const timeframe = url.searchParams.get('timeframe') ?? '';
      if (!isTimeframe(timeframe)) return fail(400, 'BAD_TIMEFRAME', `unsupported timeframe ${timeframe}`);
      const now = options.clock();
      const since = intParam(url, 'since') ?? now;
      const limit = Math.min(maxLimit, Math.max(1, intParam(url, 'limit') ?? 500));
      return reply(200, market.ohlcv(timeframe, since, limit, now).map(barToOhlcv));
    }
    return fail(404, 'NOT_FOUND', `no resource at ${url.pathname}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const restUrl = `http://${host}:${port}`;
  log('info', `sim exchange listening on ${restUrl} (${[...options.markets.keys()].join(', ')})`);

  return {
    restUrl,
    wsUrl: `ws://${host}:${port}${SIM_WS_PATH}`,
    port,
    dropConnections: (refuseForMs = 0) => {
      refuseUntilMs = Date.now() + refuseForMs;
      let dropped = 0;
      for (const ws of wss.clients) {
        ws.terminate();
        dropped++;
      }
      counters.droppedConnections += dropped;
      log('warn', `sim exchange: dropped ${dropped} websocket(s)`);
      return dropped;
    },
    stats: () => ({ connections: wss.clients.size, ...counters }),
    stop: async () => {
      clearInterval(pushTimer);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function intParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || !/^-?\d{1,16}$/.test(raw)) return undefined;
  return Number(raw);
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
