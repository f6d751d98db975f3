/**
 * A local stand-in for exchange REST APIs, enough for the connection test: ccxt's `urls.api` origins
 * are rewritten to it (TT_EXCHANGE_API_OVERRIDES). It checks keys and request signatures the way the
 * real venues do, so a passing test proves the stored credentials were used intact.
 * Venues: binance (HMAC-SHA256 hex query signature), okx (base64 HMAC of ts+method+path+body,
 * passphrase header), alpaca (key + secret headers), kraken (key header only).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockKey {
  readonly secret: string;
  readonly passphrase?: string;
  readonly canWithdraw: boolean;
  /** false: the permission endpoint refuses this key (as exchanges do for keys without read rights). */
  readonly permissionsReadable?: boolean;
}

export interface MockRequest {
  readonly venue: string;
  readonly path: string;
  readonly apiKey: string | undefined;
  readonly authenticated: boolean;
}

export interface ExchangeMock {
  readonly origin: string;
  readonly requests: MockRequest[];
  /** Keys can be added while running (e.g. per test). */
  readonly keys: Map<string, MockKey>;
  stop(): Promise<void>;
}

export async function startExchangeMock(keys: Record<string, MockKey> = {}): Promise<ExchangeMock> {
  const keyMap = new Map(Object.entries(keys));
  const requests: MockRequest[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });

  function handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://mock');
    const path = url.pathname;
    const header = (name: string): string | undefined => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const send = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const record = (venue: string, apiKey: string | undefined, authenticated: boolean): void => {
      requests.push({ venue, path, apiKey, authenticated });
    };

    if (path.startsWith('/api/v3/') || path.startsWith('/sapi/')) {
      const apiKey = header('x-mbx-apikey');
      const key = apiKey ? keyMap.get(apiKey) : undefined;
      const query = url.search.slice(1);
      const unsigned = query.replace(/&signature=[0-9a-f]+$/, '');
      const signature = url.searchParams.get('signature');
      const ok = !!key && signature === createHmac('sha256', key.secret).update(unsigned).digest('hex');
      record('binance', apiKey, ok);
      if (!ok) return send(401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
      if (path === '/api/v3/account') {
        return send(200, { balances: [{ asset: 'BTC', free: '0.5', locked: '0' }, { asset: 'USDT', free: '1000', locked: '0' }, { asset: 'ETH', free: '0', locked: '0' }] });
      }
      if (path === '/sapi/v1/account/apiRestrictions' && key.permissionsReadable === false) return send(401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
      if (path === '/sapi/v1/account/apiRestrictions') return send(200, { enableReading: true, enableSpotAndMarginTrading: true, enableWithdrawals: key.canWithdraw });
      return send(404, { code: -1, msg: 'unknown path' });
    }

    if (path.startsWith('/api/v5/')) {
      const apiKey = header('ok-access-key');
      const key = apiKey ? keyMap.get(apiKey) : undefined;
      const prehash = `${header('ok-access-timestamp') ?? ''}${req.method ?? ''}${url.pathname}${url.search}${body}`;
      const ok =
        !!key &&
        header('ok-access-passphrase') === key.passphrase &&
        header('ok-access-sign') === createHmac('sha256', key.secret).update(prehash).digest('base64');
      record('okx', apiKey, ok);
      if (!ok) return send(401, { code: '50111', msg: 'Invalid OK-ACCESS-KEY', data: [] });
      if (path === '/api/v5/account/balance') {
        return send(200, { code: '0', msg: '', data: [{ uTime: '1700000000000', details: [{ ccy: 'USDT', cashBal: '250', availBal: '250', frozenBal: '0', eq: '250' }] }] });
      }
      if (path === '/api/v5/account/config') return send(200, { code: '0', msg: '', data: [{ perm: key.canWithdraw ? 'read_only,trade,withdraw' : 'read_only,trade' }] });
      return send(404, { code: '1', msg: 'unknown path', data: [] });
    }

    if (path.startsWith('/v2/')) {
      const apiKey = header('apca-api-key-id');
      const key = apiKey ? keyMap.get(apiKey) : undefined;
      const ok = !!key && header('apca-api-secret-key') === key.secret;
      record('alpaca', apiKey, ok);
      if (!ok) return send(401, { code: 40110000, message: 'request is not authorized' });
      if (path === '/v2/account') return send(200, { id: 'acct', currency: 'USD', cash: '5000', status: 'ACTIVE' });
      if (path === '/v2/positions') return send(200, []);
      return send(404, { message: 'unknown path' });
    }

    if (path.startsWith('/0/private/')) {
      const apiKey = header('api-key');
      const ok = !!apiKey && keyMap.has(apiKey);
      record('kraken', apiKey, ok);
      if (!ok) return send(200, { error: ['EAPI:Invalid key'] });
      return send(200, { error: [], result: { XXBT: { balance: '1.0', hold_trade: '0' } } });
    }

    record('unknown', undefined, false);
    return send(404, { error: `mock has no ${req.method ?? ''} ${path}` });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    keys: keyMap,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
