/**
 * A local stand-in for Binance's public spot market data, enough for ccxt pro's `binance`:
 * REST `exchangeInfo` (spot; empty futures lists), `klines`, `time`, and the websocket stream API
 * (`SUBSCRIBE` / `UNSUBSCRIBE` requests on /ws/<n>, `trade` events with string prices as Binance
 * sends them). Trades and klines come from one deterministic sim walk, so klines always agree with
 * the trades the stream pushed. `dropConnections()` cuts every socket without a close handshake.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { SimMarket } from '../../shared/market/sim-market';
import { isTimeframe, TIMEFRAME_MS } from '../../shared/market/timeframes';

export interface BinanceMock {
  readonly origin: string;
  readonly restPaths: string[];
  readonly subscribeRequests: string[][];
  readonly unsubscribeRequests: string[][];
  /** Cuts every socket without a close handshake; with `refuseForMs`, refuses new ones that long. */
  dropConnections(refuseForMs?: number): number;
  connections(): number;
  stop(): Promise<void>;
}

export interface BinanceMockOptions {
  /** Markets by Binance id (e.g. BTCUSDT) with their base/quote assets. */
  readonly markets: ReadonlyMap<string, { readonly base: string; readonly quote: string; readonly sim: SimMarket }>;
  readonly clock: () => number;
  readonly pushIntervalMs?: number;
}

export async function startBinanceMock(options: BinanceMockOptions): Promise<BinanceMock> {
  const restPaths: string[] = [];
  const subscribeRequests: string[][] = [];
  const unsubscribeRequests: string[][] = [];
  let refuseUntilMs = 0;
  /** Stream name (btcusdt@trade) → sockets and the sim time pushed up to. */
  const streams = new Map<string, { sockets: Set<WebSocket>; cursorMs: number; id: string }>();

  const server = createServer((req, res) => handleRest(req, res));
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (!(req.url ?? '').startsWith('/ws')) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    if (Date.now() < refuseUntilMs) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data: RawData) => onRequest(ws, rawText(data)));
      ws.on('close', () => {
        for (const s of streams.values()) s.sockets.delete(ws);
      });
      ws.on('error', () => undefined);
    });
  });

  function onRequest(ws: WebSocket, text: string): void {
    const request = JSON.parse(text) as { method: string; params: string[]; id: number | string };
    if (request.method === 'SUBSCRIBE') {
      subscribeRequests.push(request.params);
      for (const name of request.params) {
        const id = name.split('@')[0]!.toUpperCase();
        if (!options.markets.has(id)) continue;
        let stream = streams.get(name);
        if (!stream) streams.set(name, (stream = { sockets: new Set(), cursorMs: options.clock(), id }));
        stream.sockets.add(ws);
      }
    } else if (request.method === 'UNSUBSCRIBE') {
      unsubscribeRequests.push(request.params);
      for (const name of request.params) streams.get(name)?.sockets.delete(ws);
    }
    ws.send(JSON.stringify({ result: null, id: request.id }));
  }

  let tradeId = 1;
  const timer = setInterval(() => {
    const now = options.clock();
    for (const [name, stream] of streams) {
      if (stream.sockets.size === 0) {
        streams.delete(name);
        continue;
      }
      const market = options.markets.get(stream.id)!;
      const trades = market.sim.tradesBetween(stream.cursorMs, now);
      stream.cursorMs = now;
      for (const t of trades) {
        const event = JSON.stringify({ e: 'trade', E: t.timestampMs, s: stream.id, t: tradeId++, p: t.price.toFixed(2), q: t.amount.toFixed(5), T: t.timestampMs, m: t.side === 'sell', M: true });
        for (const ws of stream.sockets) if (ws.readyState === WebSocket.OPEN) ws.send(event);
      }
    }
  }, options.pushIntervalMs ?? 50);

  function handleRest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://mock');
    restPaths.push(url.pathname);
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/api/v3/time') return send(200, { serverTime: options.clock() });
    if (url.pathname === '/fapi/v1/exchangeInfo' || url.pathname === '/dapi/v1/exchangeInfo') {
      return send(200, { timezone: 'UTC', serverTime: options.clock(), rateLimits: [], assets: [], symbols: [] });
    }
    if (url.pathname === '/api/v3/exchangeInfo') {
      return send(200, {
        timezone: 'UTC',
        serverTime: options.clock(),
        rateLimits: [],
        exchangeFilters: [],
        symbols: [...options.markets.entries()].map(([id, m]) => spotSymbol(id, m.base, m.quote, m.sim)),
      });
    }
    if (url.pathname === '/api/v3/klines') {
      const market = options.markets.get(url.searchParams.get('symbol') ?? '');
      const interval = url.searchParams.get('interval') ?? '';
      if (!market || !isTimeframe(interval)) return send(400, { code: -1121, msg: 'Invalid symbol or interval.' });
      const now = options.clock();
      const since = Number(url.searchParams.get('startTime') ?? now);
      const limit = Math.min(1000, Number(url.searchParams.get('limit') ?? 500));
      const rows = market.sim.ohlcv(interval, since, limit, now).map((b) => [
        b.openTimeMs,
        b.open.toFixed(2),
        b.high.toFixed(2),
        b.low.toFixed(2),
        b.close.toFixed(2),
        b.volume.toFixed(8),
        b.openTimeMs + TIMEFRAME_MS[interval] - 1,
        '0',
        0,
        '0',
        '0',
        '0',
      ]);
      return send(200, rows);
    }
    return send(404, { code: -1, msg: `mock has no ${url.pathname}` });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    restPaths,
    subscribeRequests,
    unsubscribeRequests,
    dropConnections: (refuseForMs = 0) => {
      refuseUntilMs = Date.now() + refuseForMs;
      let n = 0;
      for (const ws of wss.clients) {
        ws.terminate();
        n++;
      }
      return n;
    },
    connections: () => wss.clients.size,
    stop: async () => {
      clearInterval(timer);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function spotSymbol(id: string, base: string, quote: string, sim: SimMarket): Record<string, unknown> {
  return {
    symbol: id,
    status: 'TRADING',
    baseAsset: base,
    baseAssetPrecision: 8,
    quoteAsset: quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: String(sim.spec.tickSize), maxPrice: '1000000.00', tickSize: String(sim.spec.tickSize) },
      { filterType: 'LOT_SIZE', minQty: sim.spec.lotSize.toFixed(5), maxQty: '9000.00000', stepSize: sim.spec.lotSize.toFixed(5) },
      { filterType: 'NOTIONAL', minNotional: '5.00', applyMinToMarket: true, maxNotional: '9000000.00', applyMaxToMarket: false, avgPriceMins: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
