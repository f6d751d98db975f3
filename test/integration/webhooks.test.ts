/**
 * Webhook signal intake through the real local host (compiled app): hook lifecycle, real-world
 * payload shapes, the hostile-input suite, idempotency, rate limits, the signal log, replay and the
 * test alert. One host for the whole file; every test leaves the bots in a known state.
 */
import { createHmac } from 'node:crypto';
import { ApiClient, principalFor, type ApiResponse, type ErrorBody } from '../support/api-client';
import { eventually, startLocalHost, type LocalHost } from '../support/local-host';

jest.setTimeout(180_000);

interface HookAnswer {
  hook: { botId: string; url: string; revision: number; etag: string; settings: Record<string, unknown> };
  credentials: { passphrase: string; signingKey: string };
  alertTemplates: { strategy: string; indicator: string; plainText: string };
}

interface SignalView {
  id: string;
  outcome: string;
  httpStatus: number;
  code: string | null;
  reason: string;
  order: Record<string, unknown> | null;
  sourceAddress: string | null;
  latencyMs: number;
  receivedAtMs: number;
  test: boolean;
  replayOf: string | null;
  replayableUntilMs: number | null;
  payload: unknown;
  suppressed: number;
}

const sign = (key: string, t: number, body: string): string => `t=${t},v1=${createHmac('sha256', key).update(`${t}.${body}`).digest('hex')}`;
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

describe('webhook signal intake (local host)', () => {
  let host: LocalHost;
  let alice: ApiClient;
  let bob: ApiClient;
  let anonymous: ApiClient;
  let signalBot: string;
  let smaBot: string;
  let bobBot: string;
  let hook: HookAnswer;
  let bobHook: HookAnswer;
  const secrets: string[] = [];

  async function createBot(client: ApiClient, connectionId: string, strategy: string, symbol: string): Promise<string> {
    const created = await client.post<{ id: string }>('/api/bots', {
      body: { name: `${strategy} ${symbol}`, connectionId, market: { exchange: 'paper', symbol, timeframe: '1m' }, strategy: { id: strategy, params: {} }, sizing: { mode: 'quantity', value: 1 } },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function start(client: ApiClient, botId: string): Promise<void> {
    const started = await client.post(`/api/bots/${botId}/start`);
    // 202: accepted but not yet applied within the API's read-back time (slow machine); wait for it.
    expect([200, 202]).toContain(started.status);
    await eventually(async () => ((await client.get<{ status: string }>(`/api/bots/${botId}`)).body.status === 'running' ? true : undefined));
  }

  /** Posts to a hook URL as TradingView would (JSON text, or any raw body and content type). */
  function post(url: string, body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<ApiResponse<Record<string, unknown>>> {
    return anonymous.request('POST', new URL(url).pathname, { rawBody: body, headers, json: false });
  }

  async function signals(client: ApiClient, botId: string, query = ''): Promise<SignalView[]> {
    const page = await client.get<{ items: SignalView[] }>(`/api/bots/${botId}/signals${query}`);
    expect(page.status).toBe(200);
    return page.body.items;
  }

  beforeAll(async () => {
    host = await startLocalHost();
    alice = new ApiClient(host.baseUrl, { principal: principalFor('alice-hooks') });
    bob = new ApiClient(host.baseUrl, { principal: principalFor('bob-hooks') });
    anonymous = new ApiClient(host.baseUrl);
    const connection = await alice.post<{ id: string }>('/api/connections', { body: { exchangeId: 'paper', label: 'paper', mode: 'paper' } });
    const bobConnection = await bob.post<{ id: string }>('/api/connections', { body: { exchangeId: 'paper', label: 'paper', mode: 'paper' } });
    signalBot = await createBot(alice, connection.body.id, 'signal', 'BTC/USDT');
    smaBot = await createBot(alice, connection.body.id, 'sma-cross', 'ETH/USDT');
    bobBot = await createBot(bob, bobConnection.body.id, 'signal', 'BTC/USDT');
    await Promise.all([start(alice, signalBot), start(alice, smaBot), start(bob, bobBot)]);
  });

  afterAll(async () => {
    await host?.stop();
  });

  describe('hook lifecycle', () => {
    it('enables a hook once, showing the passphrase, signing key and ready alert templates only in that answer', async () => {
      const enabled = await alice.post<HookAnswer>(`/api/bots/${signalBot}/hook`, { body: { allowControl: true, rateLimit: { burst: 200, perMinute: 600 } } });
      expect(enabled.status).toBe(201);
      hook = enabled.body;
      secrets.push(hook.credentials.passphrase, hook.credentials.signingKey);
      expect(hook.hook.url).toMatch(/\/api\/hooks\/[0-9a-f]{64}$/);
      expect(hook.credentials.passphrase).toMatch(/^ttp_[A-Za-z0-9_-]{43}$/);
      expect(hook.credentials.signingKey).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      expect(JSON.parse(hook.alertTemplates.strategy)).toMatchObject({ secret: hook.credentials.passphrase, action: '{{strategy.order.action}}', id: '{{strategy.order.id}}-{{timenow}}' });
      expect(hook.hook.settings).toMatchObject({ allowControl: true, requireSignature: false, rateLimit: { burst: 200, perMinute: 600 } });

      const again = await alice.post<ErrorBody>(`/api/bots/${signalBot}/hook`);
      expect(again.status).toBe(409);
      const view = await alice.get(`/api/bots/${signalBot}/hook`);
      expect(view.status).toBe(200);
      expect(view.text).not.toContain(hook.credentials.passphrase);
      expect(view.text).not.toContain(hook.credentials.signingKey);

      const bobEnabled = await bob.post<HookAnswer>(`/api/bots/${bobBot}/hook`);
      expect(bobEnabled.status).toBe(201);
      bobHook = bobEnabled.body;
      secrets.push(bobHook.credentials.passphrase, bobHook.credentials.signingKey);
    });

    it("answers 404 for another tenant's bot and refuses API tokens on credential routes", async () => {
      expect((await bob.post(`/api/bots/${signalBot}/hook`)).status).toBe(404);
      expect((await bob.get(`/api/bots/${signalBot}/hook`)).status).toBe(404);
      expect((await bob.get(`/api/bots/${signalBot}/signals`)).status).toBe(404);
      const token = await alice.post<{ token: string }>('/api/tokens', { body: { name: 'script', scopes: ['read', 'trade'] } });
      const script = alice.withToken(token.body.token);
      expect((await script.post(`/api/bots/${smaBot}/hook`)).status).toBe(403);
      expect((await script.get(`/api/bots/${signalBot}/hook`)).status).toBe(200);
    });
  });

  describe('real-world payload shapes', () => {
    it('accepts a TradingView strategy alert rendered from the template', async () => {
      const rendered = hook.alertTemplates.strategy
        .replace('{{strategy.order.action}}', 'buy')
        .replace('{{ticker}}', 'BTCUSDT')
        .replace('{{strategy.order.contracts}}', '0.5')
        .replace('{{strategy.market_position}}', 'long')
        .replace('{{close}}', '43250.5')
        .replace('{{strategy.order.id}}-{{timenow}}', `Long Entry-${new Date().toISOString()}`)
        .replace('{{timenow}}', new Date().toISOString())
        .replace('{{strategy.order.comment}}', 'Long Entry');
      const answer = await post(hook.hook.url, rendered);
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ status: 'accepted', action: 'buy' });
      const logged = (await signals(alice, signalBot)).find((s) => s.id === answer.body.signalId)!;
      expect(logged).toMatchObject({ outcome: 'accepted', order: { action: 'buy', size: { mode: 'quantity', value: 0.5 }, marketPosition: 'long', comment: 'Long Entry' } });
      expect(JSON.stringify(logged)).not.toContain(hook.credentials.passphrase);
    });

    it('accepts the plain-text form sent as text/plain', async () => {
      const answer = await post(hook.hook.url, `sell BINANCE:BTCUSDT 0.25 secret=${hook.credentials.passphrase} id=plain-1`, { 'content-type': 'text/plain; charset=utf-8' });
      expect(answer.status).toBe(202);
      const logged = (await signals(alice, signalBot)).find((s) => s.id === answer.body.signalId)!;
      expect(logged).toMatchObject({ order: { action: 'sell', size: { mode: 'quantity', value: 0.25 } }, payload: { kind: 'text', text: expect.stringContaining('secret=[redacted]') } });
    });

    it('accepts a 3Commas-style body', async () => {
      const body = JSON.stringify({
        secret: hook.credentials.passphrase, max_lag: '300', timestamp: new Date().toISOString(), trigger_price: '43000', tv_exchange: 'BINANCE', tv_instrument: 'BTCUSDT',
        action: 'enter_long', bot_uuid: '5b8a2c1e-0000-4000-8000-000000000000', order: { amount: '100', currency_type: 'quote', order_type: 'market' },
      });
      const answer = await post(hook.hook.url, body);
      expect(answer.status).toBe(202);
      const logged = (await signals(alice, signalBot)).find((s) => s.id === answer.body.signalId)!;
      expect(logged).toMatchObject({ order: { action: 'long', size: { mode: 'notional', value: 100 }, price: 43000 } });
    });

    it('accepts a signed request (X-TT-Signature)', async () => {
      const body = JSON.stringify({ action: 'exit_long', ticker: 'BTC/USDT', id: 'signed-1' });
      const answer = await post(hook.hook.url, body, { 'content-type': 'application/json', 'x-tt-signature': sign(hook.credentials.signingKey, nowSeconds(), body) });
      expect(answer.status).toBe(202);
    });
  });

  describe('signals to fills on the paper exchange', () => {
    let fillBot: string;
    let fillHook: HookAnswer;
    let barTimeMs = Date.UTC(2024, 0, 2);

    interface FillView { clientOrderId: string | null; side: string; quantity: number; price: number }
    interface OrderView { clientOrderId: string; status: string; intent: Record<string, unknown> }
    interface EventView { seq: number; type: string; code: string | null; message: string; data: Record<string, unknown> }

    /** One closed bar that opens at `open`: market orders waiting for it fill there. */
    async function bar(open: number): Promise<void> {
      barTimeMs += 60_000;
      const answer = await anonymous.request('POST', '/api/internal/bars', {
        body: { exchange: 'paper', symbol: 'SOLUSDT', timeframe: '1m', bars: [{ timeMs: barTimeMs, open, high: open + 1, low: open - 1, close: open, volume: 1e6 }] },
        headers: { 'x-functions-key': host.functionKey },
      });
      expect(answer.status).toBe(202);
    }

    const fills = async () => (await alice.get<{ items: FillView[] }>(`/api/bots/${fillBot}/fills?limit=100`)).body.items.reverse();
    const orders = async () => (await alice.get<{ items: OrderView[] }>(`/api/bots/${fillBot}/orders?limit=100`)).body.items.reverse();
    const events = async () => (await alice.get<{ items: EventView[] }>(`/api/bots/${fillBot}/events?limit=100`)).body.items;

    /** Sends an alert, waits until its order is on the book, then gives it the next bar. */
    async function trade(body: string, contentType: string, nextOpen: number, expectedOrders: number): Promise<void> {
      const answer = await post(fillHook.hook.url, body, { 'content-type': contentType });
      expect(answer.status).toBe(202);
      await eventually(async () => ((await orders()).filter((o) => o.status === 'accepted').length > 0 && (await orders()).length === expectedOrders ? true : undefined));
      await bar(nextOpen);
      await eventually(async () => ((await orders()).every((o) => o.status === 'filled') ? true : undefined));
    }

    beforeAll(async () => {
      const connection = await alice.post<{ id: string }>('/api/connections', { body: { exchangeId: 'paper', label: 'paper fills', mode: 'paper' } });
      // No '/' in the symbol: the market entity key goes into the durable HTTP path unencoded (see the report).
      fillBot = await createBot(alice, connection.body.id, 'signal', 'SOLUSDT');
      await start(alice, fillBot);
      fillHook = (await alice.post<HookAnswer>(`/api/bots/${fillBot}/hook`, { body: { rateLimit: { burst: 100, perMinute: 600 } } })).body;
      secrets.push(fillHook.credentials.passphrase, fillHook.credentials.signingKey);
      await bar(100);
      await eventually(async () => ((await alice.get<{ items: unknown[] }>(`/api/bots/${fillBot}/equity`)).body.items.length > 0 ? true : undefined));
    });

    it('turns a TradingView strategy alert, plain text and a 3Commas body into the right paper fills', async () => {
      const tradingView = JSON.stringify({
        secret: fillHook.credentials.passphrase, action: 'buy', ticker: 'BINANCE:SOLUSDT', quantity: '3', market_position: 'long', price: '100',
        id: `Long Entry-${new Date().toISOString()}`, timestamp: new Date().toISOString(), max_lag: '120', comment: 'Long Entry',
      });
      await trade(tradingView, 'application/json', 101, 1);
      await trade(`sell SOLUSDT 1 secret=${fillHook.credentials.passphrase} id=tp-1`, 'text/plain; charset=utf-8', 102, 2);
      const threeCommas = JSON.stringify({
        secret: fillHook.credentials.passphrase, tv_exchange: 'BINANCE', tv_instrument: 'SOLUSDT', action: 'exit_long', trigger_price: '102', timestamp: new Date().toISOString(), max_lag: '300',
      });
      await trade(threeCommas, 'application/json', 103, 3);
      expect((await fills()).map((f) => ({ side: f.side, quantity: f.quantity, price: f.price, clientOrderId: f.clientOrderId }))).toEqual([
        { side: 'buy', quantity: 3, price: 101, clientOrderId: `${fillBot}-1` },
        { side: 'sell', quantity: 1, price: 102, clientOrderId: `${fillBot}-2` },
        { side: 'sell', quantity: 2, price: 103, clientOrderId: `${fillBot}-3` },
      ]);
      const decisions = (await events()).filter((e) => e.type === 'decision');
      expect(decisions.every((e) => typeof e.data.signalId === 'string')).toBe(true);
      expect(decisions.map((e) => e.message).join('\n')).toContain('Long Entry');
    });

    it('places nothing for hostile requests (a sentinel signal proves the bot saw everything before it)', async () => {
      const before = (await orders()).length;
      const valid = (o: Record<string, unknown>) => JSON.stringify({ secret: fillHook.credentials.passphrase, action: 'buy', ticker: 'SOLUSDT', quantity: 1, ...o });
      const hostile: [string | Buffer, Record<string, string>, number][] = [
        [valid({ secret: 'ttp_wrong', id: 'x1' }), { 'content-type': 'application/json' }, 401],
        [JSON.stringify({ action: 'buy', quantity: 1, id: 'x2' }), { 'content-type': 'application/json' }, 401],
        [valid({ quantity: 'NaN', id: 'x3' }), { 'content-type': 'application/json' }, 400],
        [valid({ quantity: -1, id: 'x4' }), { 'content-type': 'application/json' }, 400],
        [valid({ action: 'moon', id: 'x5' }), { 'content-type': 'application/json' }, 400],
        [valid({ ticker: "SOL'; DROP TABLE botOrders; --", id: 'x6' }), { 'content-type': 'application/json' }, 400],
        [valid({ id: 'x7' }), { 'content-type': 'application/x-www-form-urlencoded' }, 415],
        [valid({ id: 'x8', comment: 'y'.repeat(17_000) }), { 'content-type': 'application/json' }, 413],
        [valid({ id: 'x9', ticker: 'ETHUSDT' }), { 'content-type': 'application/json' }, 400],
        // Repeats the plain-text alert's id `tp-1` as JSON: a duplicate (200), not a trade.
        [valid({ id: 'tp-1', action: 'sell' }), { 'content-type': 'application/json' }, 200],
      ];
      for (const [body, headers, status] of hostile) expect((await post(fillHook.hook.url, body, headers)).status).toBe(status);
      const sentinel = await post(fillHook.hook.url, JSON.stringify({ secret: fillHook.credentials.passphrase, action: 'flat', id: 'sentinel' }));
      expect(sentinel.status).toBe(202);
      const sentinelId = sentinel.body.signalId as string;
      await eventually(async () => ((await events()).some((e) => e.data.signalId === sentinelId) ? true : undefined));
      expect((await orders()).length).toBe(before);
      await bar(104);
      expect((await fills()).length).toBe(3);
    });
  });

  describe('hostile input', () => {
    /** Runs `send` and checks its status and that no accepted signal was logged meanwhile. */
    async function expectNothingPlaced(send: () => Promise<ApiResponse<Record<string, unknown>>>, status: number, code?: string): Promise<ApiResponse<Record<string, unknown>>> {
      const before = (await signals(alice, signalBot, '?outcome=accepted&limit=100')).length;
      const answer = await send();
      expect({ status: answer.status, code: (answer.body as unknown as ErrorBody | undefined)?.error?.code }).toEqual({ status, code: code ?? (answer.body as unknown as ErrorBody | undefined)?.error?.code });
      expect((await signals(alice, signalBot, '?outcome=accepted&limit=100')).length).toBe(before);
      return answer;
    }

    const body = (o: Record<string, unknown>): string => JSON.stringify({ secret: hook.credentials.passphrase, action: 'buy', ticker: 'BTCUSDT', ...o });

    it('wrong secret, missing secret → 401', async () => {
      await expectNothingPlaced(() => post(hook.hook.url, body({ secret: 'ttp_wrong', id: 'h1' })), 401, 'SIGNAL.UNAUTHENTICATED');
      await expectNothingPlaced(() => post(hook.hook.url, JSON.stringify({ action: 'buy', id: 'h2' })), 401, 'SIGNAL.UNAUTHENTICATED');
    });

    it('signature with a wrong key, a malformed signature, a stale signature → 401', async () => {
      const text = JSON.stringify({ action: 'buy', id: 'h3' });
      await expectNothingPlaced(() => post(hook.hook.url, text, { 'content-type': 'application/json', 'x-tt-signature': sign(bobHook.credentials.signingKey, nowSeconds(), text) }), 401, 'SIGNAL.UNAUTHENTICATED');
      await expectNothingPlaced(() => post(hook.hook.url, text, { 'content-type': 'application/json', 'x-tt-signature': 'sha256=deadbeef' }), 401, 'SIGNAL.UNAUTHENTICATED');
      await expectNothingPlaced(() => post(hook.hook.url, text, { 'content-type': 'application/json', 'x-tt-signature': sign(hook.credentials.signingKey, nowSeconds() - 3600, text) }), 401, 'SIGNAL.STALE');
    });

    it('stale alert timestamp → 401', async () => {
      await expectNothingPlaced(() => post(hook.hook.url, body({ id: 'h4', timestamp: new Date(Date.now() - 600_000).toISOString(), max_lag: 60 })), 401, 'SIGNAL.STALE');
    });

    it('a replayed signed request is a duplicate (200, nothing placed)', async () => {
      const text = JSON.stringify({ action: 'buy', ticker: 'BTCUSDT', quantity: 0.1 });
      const headers = { 'content-type': 'application/json', 'x-tt-signature': sign(hook.credentials.signingKey, nowSeconds(), text) };
      const first = await post(hook.hook.url, text, headers);
      expect(first.status).toBe(202);
      const replayed = await expectNothingPlaced(() => post(hook.hook.url, text, headers), 200);
      expect(replayed.body).toMatchObject({ status: 'duplicate', duplicateOf: first.body.signalId });
    });

    it('a duplicate id is acknowledged as a duplicate', async () => {
      const first = await post(hook.hook.url, body({ id: 'dup-1', quantity: 0.1 }));
      expect(first.status).toBe(202);
      const again = await expectNothingPlaced(() => post(hook.hook.url, body({ id: 'dup-1', quantity: 0.2 })), 200);
      expect(again.body).toMatchObject({ status: 'duplicate', duplicateOf: first.body.signalId });
    });

    it('oversize body → 413, deeply nested JSON → 400, invalid UTF-8 → 400, wrong content type → 415', async () => {
      await expectNothingPlaced(() => post(hook.hook.url, body({ id: 'big', comment: 'x'.repeat(20_000) })), 413, 'PAYLOAD_TOO_LARGE');
      await expectNothingPlaced(() => post(hook.hook.url, `{"secret":"${hook.credentials.passphrase}","action":"buy","meta":${'['.repeat(4000)}${']'.repeat(4000)}}`), 400, 'VALIDATION.FAILED');
      await expectNothingPlaced(() => post(hook.hook.url, Buffer.concat([Buffer.from(`{"secret":"${hook.credentials.passphrase}","action":"buy","comment":"`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')])), 400, 'VALIDATION.FAILED');
      await expectNothingPlaced(() => post(hook.hook.url, `secret=${hook.credentials.passphrase}&action=buy`, { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      // Bytes, so fetch adds no content type of its own.
      await expectNothingPlaced(() => post(hook.hook.url, Buffer.from(body({ id: 'ct' })), {}), 415, 'UNSUPPORTED_MEDIA_TYPE');
      await expectNothingPlaced(() => post(hook.hook.url, body({ id: 'ct2' }), { 'content-type': 'text/html' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it.each(["' OR '1'='1'; DROP TABLE signals; --", '<script>alert(document.cookie)</script>', '${7*7}{{7*7}}', "admin'--", '1; SELECT pg_sleep(10)--', '\u0000\u202e'])(
      'SQL/script string %j in every field → 400 with that field named',
      async (hostile) => {
        // comment and meta are free text: they are stored as data (see the next test), never interpreted.
        for (const field of ['action', 'ticker', 'symbol', 'quantity', 'size_pct', 'notional', 'order_type', 'price', 'stop_loss', 'take_profit', 'id', 'timestamp', 'max_lag', 'market_position']) {
          const answer = await expectNothingPlaced(() => post(hook.hook.url, body({ [field]: hostile, ...(field === 'max_lag' ? { timestamp: new Date().toISOString() } : {}) })), 400, 'VALIDATION.FAILED');
          expect((answer.body as unknown as ErrorBody).error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: field })]));
        }
        await expectNothingPlaced(() => post(hook.hook.url, body({ [hostile.slice(0, 20)]: 1 })), 400, 'VALIDATION.FAILED');
      },
    );

    it('keeps a hostile comment as inert data', async () => {
      const hostile = "<script>alert(1)</script>'; DROP TABLE signals; --";
      const answer = await post(hook.hook.url, body({ action: 'close', id: 'inert', comment: hostile }));
      expect(answer.status).toBe(202);
      const logged = (await signals(alice, signalBot)).find((s) => s.id === answer.body.signalId)!;
      expect(logged.order).toMatchObject({ action: 'close', comment: hostile });
    });

    it('unknown actions, negative and NaN quantities → 400', async () => {
      for (const payload of [{ action: 'moon' }, { action: 'BUY_ALL' }, { quantity: -1 }, { quantity: 'NaN' }, { quantity: '-0.5' }, { notional: 'Infinity' }, { size_pct: 0 }]) {
        await expectNothingPlaced(() => post(hook.hook.url, body({ id: 'bad', ...payload })), 400, 'VALIDATION.FAILED');
      }
    });

    it("another tenant's hook id with this tenant's secret → 401 (and nothing reaches either bot)", async () => {
      const bobBefore = (await signals(bob, bobBot, '?outcome=accepted')).length;
      await expectNothingPlaced(() => post(bobHook.hook.url, body({ id: 'cross' })), 401, 'SIGNAL.UNAUTHENTICATED');
      expect((await signals(bob, bobBot, '?outcome=accepted')).length).toBe(bobBefore);
    });

    it('unknown and malformed hook ids → 404 with no hint', async () => {
      const unknown = hook.hook.url.replace(/[0-9a-f]{8}$/, '00000000');
      const answers = await Promise.all([post(unknown, body({ id: 'u' })), post(`${host.baseUrl}/api/hooks/not-a-hook`, body({ id: 'u' })), post(`${host.baseUrl}/api/hooks/${'0'.repeat(64)}`, body({ id: 'u' }))]);
      for (const a of answers) expect({ status: a.status, body: a.body }).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'No such resource.' } } });
    });
  });

  describe('permissions, state and limits', () => {
    it('takes only control signals for a bot with another strategy, and only when the hook allows them', async () => {
      const enabled = await alice.post<HookAnswer>(`/api/bots/${smaBot}/hook`);
      const smaHook = enabled.body;
      secrets.push(smaHook.credentials.passphrase, smaHook.credentials.signingKey);
      const send = (action: string, id: string) => post(smaHook.hook.url, JSON.stringify({ secret: smaHook.credentials.passphrase, action, ticker: 'ETHUSDT', id }));
      expect((await send('buy', 'c1')).status).toBe(403);
      expect((await send('pause', 'c2')).status).toBe(403);
      const current = await alice.get<{ etag: string }>(`/api/bots/${smaBot}/hook`);
      expect((await alice.patch(`/api/bots/${smaBot}/hook`, { body: { allowControl: true } })).status).toBe(428);
      expect((await alice.patch(`/api/bots/${smaBot}/hook`, { body: { allowControl: true }, headers: { 'if-match': current.body.etag } })).status).toBe(200);
      expect((await send('pause', 'c3')).status).toBe(202);
      await eventually(async () => ((await alice.get<{ status: string }>(`/api/bots/${smaBot}`)).body.status === 'paused' ? true : undefined));
      expect((await send('resume', 'c4')).status).toBe(202);
      await eventually(async () => ((await alice.get<{ status: string }>(`/api/bots/${smaBot}`)).body.status === 'running' ? true : undefined));
    });

    it('answers 429 with Retry-After past the rate limit', async () => {
      const current = await alice.get<{ etag: string }>(`/api/bots/${smaBot}/hook`);
      const patched = await alice.patch(`/api/bots/${smaBot}/hook`, { body: { rateLimit: { burst: 2, perMinute: 1 } }, headers: { 'if-match': current.body.etag } });
      expect(patched.status).toBe(200);
      const smaHookView = await alice.get<{ url: string }>(`/api/bots/${smaBot}/hook`);
      void smaHookView;
      // The limit counts only authenticated signals; flat sma bot: close does nothing but is accepted.
      const statuses: number[] = [];
      let last: ApiResponse<Record<string, unknown>> | undefined;
      const hookUrl = (await alice.get<{ url: string }>(`/api/bots/${smaBot}/hook`)).body.url;
      const passphrase = secrets[secrets.length - 2]!;
      for (let i = 0; i < 4; i++) {
        last = await post(hookUrl, JSON.stringify({ secret: passphrase, action: 'close', id: `rl-${i}` }));
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 2)).toEqual([202, 202]);
      expect(statuses.slice(2)).toEqual([429, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((last!.body as unknown as ErrorBody).error.code).toBe('SIGNAL.RATE_LIMITED');
    });

    it('answers 409 for a stopped bot, and the owner replays the rejected signal once after starting it', async () => {
      expect([200, 202]).toContain((await alice.post(`/api/bots/${signalBot}/stop`, { body: { closePosition: false } })).status);
      await eventually(async () => ((await alice.get<{ status: string }>(`/api/bots/${signalBot}`)).body.status === 'stopped' ? true : undefined));
      const rejected = await post(hook.hook.url, JSON.stringify({ secret: hook.credentials.passphrase, action: 'buy', quantity: 0.1, id: 'while-stopped' }));
      expect(rejected.status).toBe(409);
      expect(rejected.body).toMatchObject({ error: { code: 'SIGNAL.BOT_NOT_ACCEPTING', details: { state: 'stopped' } } });
      const signalId = (rejected.body as unknown as { error: { signalId: string } }).error.signalId;

      const tooEarly = await alice.post<ErrorBody>(`/api/bots/${signalBot}/signals/${signalId}/replay`);
      expect(tooEarly.status).toBe(409);
      expect(tooEarly.body.error.code).toBe('SIGNAL.BOT_NOT_ACCEPTING');

      await start(alice, signalBot);
      expect((await bob.post(`/api/bots/${signalBot}/signals/${signalId}/replay`)).status).toBe(404);
      const replayed = await alice.post<{ status: string; signalId: string }>(`/api/bots/${signalBot}/signals/${signalId}/replay`);
      expect(replayed.status).toBe(202);
      const again = await alice.post<ErrorBody>(`/api/bots/${signalBot}/signals/${signalId}/replay`);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('SIGNAL.NOT_REPLAYABLE');
      const log = await signals(alice, signalBot);
      expect(log.find((s) => s.id === replayed.body.signalId)).toMatchObject({ replayOf: signalId, outcome: 'accepted' });

      const accepted = log.find((s) => s.outcome === 'accepted')!;
      expect((await alice.post<ErrorBody>(`/api/bots/${signalBot}/signals/${accepted.id}/replay`)).body.error.code).toBe('SIGNAL.NOT_REPLAYABLE');
    });

    it('refuses a replay once the validity window closed (the alert set max_lag)', async () => {
      expect([200, 202]).toContain((await alice.post(`/api/bots/${signalBot}/stop`, { body: { closePosition: false } })).status);
      await eventually(async () => ((await alice.get<{ status: string }>(`/api/bots/${signalBot}`)).body.status === 'stopped' ? true : undefined));
      const rejected = await post(hook.hook.url, JSON.stringify({ secret: hook.credentials.passphrase, action: 'buy', id: 'short-lived', timestamp: Date.now(), max_lag: 1 }));
      expect(rejected.status).toBe(409);
      const signalId = (rejected.body as unknown as { error: { signalId: string } }).error.signalId;
      const logged = (await signals(alice, signalBot)).find((s) => s.id === signalId)!;
      expect(logged.replayableUntilMs).toBeLessThanOrEqual(logged.receivedAtMs + 1000);
      await start(alice, signalBot);
      await new Promise((r) => setTimeout(r, Math.max(0, logged.replayableUntilMs! - Date.now()) + 50));
      const late = await alice.post<ErrorBody>(`/api/bots/${signalBot}/signals/${signalId}/replay`);
      expect(late.status).toBe(409);
      expect(late.body.error).toMatchObject({ code: 'SIGNAL.NOT_REPLAYABLE', details: { reason: 'window-closed' } });
    });

    it('refuses sources outside the IP allowlist (TradingView addresses as the example)', async () => {
      const current = await alice.get<{ etag: string }>(`/api/bots/${signalBot}/hook`);
      const tradingView = ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7'];
      expect((await alice.patch(`/api/bots/${signalBot}/hook`, { body: { ipAllowlist: tradingView }, headers: { 'if-match': current.body.etag } })).status).toBe(200);
      const text = JSON.stringify({ secret: hook.credentials.passphrase, action: 'close', id: 'ip-1' });
      expect((await post(hook.hook.url, text, { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' })).status).toBe(403);
      expect((await post(hook.hook.url, text, { 'content-type': 'application/json' })).status).toBe(403);
      const allowed = await post(hook.hook.url, text, { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.1, 52.89.214.238:41234' });
      expect(allowed.status).toBe(202);
      expect((await signals(alice, signalBot)).find((s) => s.id === allowed.body.signalId)?.sourceAddress).toBe('52.89.214.238');
      const reset = await alice.get<{ etag: string }>(`/api/bots/${signalBot}/hook`);
      expect((await alice.patch(`/api/bots/${signalBot}/hook`, { body: { ipAllowlist: [] }, headers: { 'if-match': reset.body.etag } })).status).toBe(200);
    });
  });

  describe('fuzzing', () => {
    /** Deterministic pseudo-random numbers (mulberry32), so a failure can be reproduced. */
    function rng(seed: number): () => number {
      let a = seed;
      return () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }

    it('never answers 5xx to mutated bodies, headers and content types', async () => {
      const random = rng(20260611);
      const valid = Buffer.from(JSON.stringify({ secret: hook.credentials.passphrase, action: 'close', ticker: 'BTCUSDT', id: 'fuzz', comment: 'fuzz' }));
      const types = ['application/json', 'text/plain', 'application/json; charset=utf-16', 'text/plain; charset=utf-8', '', 'application/octet-stream'];
      const statuses = new Map<number, number>();
      for (let i = 0; i < 300; i++) {
        const bytes = Buffer.from(valid);
        const mutations = 1 + Math.floor(random() * 4);
        for (let m = 0; m < mutations; m++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        const cut = random() < 0.2 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
        const headers: Record<string, string> = { 'content-type': types[Math.floor(random() * types.length)]! };
        if (random() < 0.2) headers['x-tt-signature'] = `t=${nowSeconds()},v1=${Buffer.from(cut).toString('hex').slice(0, 64).padEnd(64, '0')}`;
        if (random() < 0.1) headers['x-forwarded-for'] = String.fromCharCode(...Array.from({ length: 12 }, () => 33 + Math.floor(random() * 90)));
        const answer = await post(hook.hook.url, cut, headers);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      }
      expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
      expect([...statuses.keys()].every((s) => [200, 202, 400, 401, 403, 409, 413, 415, 429].includes(s))).toBe(true);
    });
  });

  describe('observability', () => {
    it('logs every signal with source, receive time, latency, outcome and reason; pages and filters by outcome', async () => {
      const all = await signals(alice, signalBot, '?limit=100');
      expect(all.length).toBeGreaterThan(20);
      for (const s of all) {
        expect(s.receivedAtMs).toBeGreaterThan(0);
        expect(s.latencyMs).toBeGreaterThanOrEqual(0);
        expect(s.reason.length).toBeGreaterThan(0);
      }
      expect([...all].sort((a, b) => b.receivedAtMs - a.receivedAtMs).map((s) => s.id)).toEqual(all.map((s) => s.id));
      for (const outcome of ['accepted', 'duplicate', 'rejected']) {
        const filtered = await signals(alice, signalBot, `?outcome=${outcome}&limit=100`);
        expect(filtered.length).toBeGreaterThan(0);
        expect(filtered.every((s) => s.outcome === outcome)).toBe(true);
      }
      const first = await alice.get<{ items: SignalView[]; continuationToken: string }>(`/api/bots/${signalBot}/signals?limit=5`);
      const second = await alice.get<{ items: SignalView[] }>(`/api/bots/${signalBot}/signals?limit=5&continuation=${first.body.continuationToken}`);
      expect(second.body.items.map((s) => s.id)).toEqual(all.slice(5, 10).map((s) => s.id));
      expect((await alice.get(`/api/bots/${signalBot}/signals?outcome=maybe`)).status).toBe(400);
    });

    it('sends a test alert through the whole path as a dry run', async () => {
      const tested = await alice.post<{ intake: { status: number; body: Record<string, unknown> }; signal: SignalView; request: { headers: Record<string, string> } }>(`/api/bots/${signalBot}/signals/test`, { body: { action: 'buy', quantity: 0.01 } });
      expect(tested.status).toBe(200);
      expect(tested.body.intake).toMatchObject({ status: 202, body: { status: 'accepted', test: true } });
      expect(tested.body.signal).toMatchObject({ test: true, outcome: 'accepted', order: { action: 'buy', size: { mode: 'quantity', value: 0.01 } } });
      expect(tested.body.request.headers['x-tt-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    });
  });

  describe('rotation', () => {
    it('stops the old URL, passphrase and key at once', async () => {
      const rotated = await alice.post<HookAnswer>(`/api/bots/${signalBot}/hook/rotate`);
      expect(rotated.status).toBe(200);
      const next = rotated.body;
      secrets.push(next.credentials.passphrase, next.credentials.signingKey);
      expect(next.hook.revision).toBe(2);
      expect(next.hook.url).not.toBe(hook.hook.url);
      const text = (secret: string, id: string) => JSON.stringify({ secret, action: 'close', id });
      expect((await post(hook.hook.url, text(hook.credentials.passphrase, 'r1'))).status).toBe(404);
      expect((await post(next.hook.url, text(hook.credentials.passphrase, 'r2'))).status).toBe(401);
      const signedOld = text(next.credentials.passphrase, 'r3').replace(/"secret":"[^"]+",/, '');
      expect((await post(next.hook.url, signedOld, { 'content-type': 'application/json', 'x-tt-signature': sign(hook.credentials.signingKey, nowSeconds(), signedOld) })).status).toBe(401);
      expect((await post(next.hook.url, text(next.credentials.passphrase, 'r4'))).status).toBe(202);
      expect((await post(next.hook.url, signedOld, { 'content-type': 'application/json', 'x-tt-signature': sign(next.credentials.signingKey, nowSeconds(), signedOld) })).status).toBe(202);
      hook = next;
    });

    it('disables a hook: its URL answers 404', async () => {
      expect((await bob.delete(`/api/bots/${bobBot}/hook`)).status).toBe(204);
      expect((await post(bobHook.hook.url, JSON.stringify({ secret: bobHook.credentials.passphrase, action: 'close' }))).status).toBe(404);
      expect((await bob.get(`/api/bots/${bobBot}/hook`)).status).toBe(404);
    });
  });

  it('never writes a passphrase, signing key or hook id to the host log', () => {
    const hookIds = [hook.hook.url, bobHook.hook.url].map((u) => u.split('/').pop()!);
    const leaks = host.logs.filter((line) => [...secrets, ...hookIds].some((s) => line.includes(s)));
    expect(leaks).toEqual([]);
  });
});
