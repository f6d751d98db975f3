import { signBody } from '../../../../shared/signals/signal-auth.js';
import { SignalIntake, type HookRequest } from '../../../../shared/signals/signal-intake.js';
import { FakeIntakePorts, HOOK_ID, PASSPHRASE, SIGNING_KEY, TENANT } from './intake-fakes.js';

function request(ports: FakeIntakePorts, body: string | Uint8Array, extra: Partial<HookRequest> = {}): HookRequest {
  return {
    hookId: HOOK_ID,
    bytes: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    contentType: 'application/json',
    signature: null,
    forwardedFor: '52.89.214.238',
    receivedAtMs: ports.nowValue,
    startedMonotonicMs: 0,
    ...extra,
  };
}

const json = (o: Record<string, unknown>): string => JSON.stringify({ secret: PASSPHRASE, ...o });

describe('SignalIntake', () => {
  it('accepts an authenticated buy, hands it to the bot entity and logs it', async () => {
    const ports = new FakeIntakePorts();
    const reply = await new SignalIntake(ports).handle(request(ports, json({ action: 'buy', ticker: 'BINANCE:BTCUSDT', quantity: '0.5', id: 'a1' })));
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ status: 'accepted', action: 'buy', signalId: reply.signalId });
    expect(ports.deliveries).toEqual([
      {
        tenantId: TENANT, botId: 'bot1',
        delivery: { op: 'signal', input: { signalId: reply.signalId, actor: `hook:${reply.signalId}`, atMs: ports.nowValue, test: false, order: expect.objectContaining({ action: 'buy', size: { mode: 'quantity', value: 0.5 } }) } },
      },
    ]);
    expect(ports.records).toEqual([expect.objectContaining({ id: reply.signalId, outcome: 'accepted', httpStatus: 202, auth: 'passphrase', sourceAddress: '52.89.214.238', alertId: 'a1', format: 'json' })]);
    expect(JSON.stringify(ports.records)).not.toContain(PASSPHRASE);
  });

  it('answers 404 with one body for malformed, unknown and rotated-away hook ids, and logs nothing', async () => {
    const ports = new FakeIntakePorts();
    const intake = new SignalIntake(ports);
    const replies = await Promise.all([
      intake.handle({ ...request(ports, json({ action: 'buy' })), hookId: 'nope' }),
      intake.handle({ ...request(ports, json({ action: 'buy' })), hookId: `${TENANT}${'2'.repeat(32)}` }),
      intake.handle({ ...request(ports, json({ action: 'buy' })), hookId: `${'b'.repeat(32)}${'1'.repeat(32)}` }),
    ]);
    for (const r of replies) expect(r).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'No such resource.' } } });
    expect(ports.records).toEqual([]);
    expect(ports.deliveries).toEqual([]);
  });

  it.each([
    ['a wrong secret', json({ action: 'buy' }).replace(PASSPHRASE, 'ttp_wrong'), 401, 'SIGNAL.UNAUTHENTICATED'],
    ['no secret', JSON.stringify({ action: 'buy' }), 401, 'SIGNAL.UNAUTHENTICATED'],
    ['a stale timestamp', json({ action: 'buy', timestamp: Date.UTC(2024, 0, 15, 14, 0, 0) / 1000 }), 401, 'SIGNAL.STALE'],
    ['an unknown action', json({ action: 'moon' }), 400, 'VALIDATION.FAILED'],
    ['a negative quantity', json({ action: 'buy', quantity: -1 }), 400, 'VALIDATION.FAILED'],
    ['another market', json({ action: 'buy', ticker: 'ETHUSDT' }), 400, 'SIGNAL.MARKET_MISMATCH'],
    ['an oversize body', json({ action: 'buy', comment: 'x'.repeat(17_000) }), 413, 'PAYLOAD_TOO_LARGE'],
    ['deep nesting', `{"secret":"${PASSPHRASE}","action":"buy","meta":{"a":{"b":{"c":1}}}}`, 400, 'VALIDATION.FAILED'],
  ])('rejects %s with %i and places nothing', async (_label, body, status, code) => {
    const ports = new FakeIntakePorts();
    const reply = await new SignalIntake(ports).handle(request(ports, body));
    expect(reply.status).toBe(status);
    expect(reply.body).toMatchObject({ error: { code } });
    expect(ports.deliveries).toEqual([]);
    expect(ports.records).toEqual([expect.objectContaining({ outcome: 'rejected', code, httpStatus: status })]);
    expect(JSON.stringify(ports.records)).not.toContain(PASSPHRASE);
  });

  it('answers 401 without detail to unauthenticated callers but logs the real reason', async () => {
    const ports = new FakeIntakePorts();
    const reply = await new SignalIntake(ports).handle(request(ports, JSON.stringify({ action: 'buy', quantity: -5 })));
    expect(reply).toMatchObject({ status: 401, body: { error: { code: 'SIGNAL.UNAUTHENTICATED', message: 'The signal is not authenticated.' } } });
    expect(reply.body).not.toHaveProperty('error.details');
    expect(ports.records[0]).toMatchObject({ reason: expect.stringContaining('no secret'), payload: null, auth: null });
  });

  it('accepts a signed request and refuses signatures with the wrong key, stale ones and a requireSignature hook without one', async () => {
    const ports = new FakeIntakePorts({ requireSignature: true });
    const intake = new SignalIntake(ports);
    const body = JSON.stringify({ action: 'buy', id: 'signed-1' });
    const t = ports.nowValue / 1000;
    expect((await intake.handle(request(ports, body, { signature: signBody(SIGNING_KEY, t, body) }))).status).toBe(202);
    expect((await intake.handle(request(ports, body, { signature: signBody('whsec_other', t, body) }))).status).toBe(401);
    expect((await intake.handle(request(ports, body, { signature: signBody(SIGNING_KEY, t - 600, body) })))).toMatchObject({ status: 401, body: { error: { code: 'SIGNAL.STALE' } } });
    expect((await intake.handle(request(ports, json({ action: 'buy', id: 'pw' }))))).toMatchObject({ status: 401 });
    expect(ports.deliveries).toHaveLength(1);
  });

  it('acknowledges a replayed signed request (same id, or same body) as a duplicate and does nothing', async () => {
    const ports = new FakeIntakePorts();
    const intake = new SignalIntake(ports);
    const body = JSON.stringify({ action: 'buy', quantity: 1 });
    const signed = request(ports, body, { signature: signBody(SIGNING_KEY, ports.nowValue / 1000, body) });
    const first = await intake.handle(signed);
    const again = await intake.handle(signed);
    expect(first.status).toBe(202);
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate', duplicateOf: first.signalId } });
    expect(ports.deliveries).toHaveLength(1);
    expect(ports.records.map((r) => r.outcome)).toEqual(['accepted', 'duplicate']);
  });

  it('forgets an idempotency key after 24 hours', async () => {
    const ports = new FakeIntakePorts();
    const intake = new SignalIntake(ports);
    expect((await intake.handle(request(ports, json({ action: 'buy', id: 'k' })))).status).toBe(202);
    ports.nowValue += 24 * 3600 * 1000 + 1;
    expect((await intake.handle(request(ports, json({ action: 'buy', id: 'k' })))).status).toBe(202);
    expect(ports.deliveries).toHaveLength(2);
  });

  it('rate-limits per hook with Retry-After, spending tokens only on authenticated signals', async () => {
    const ports = new FakeIntakePorts({ rateLimit: { burst: 2, perMinute: 6 } });
    const intake = new SignalIntake(ports);
    for (let i = 0; i < 5; i++) await intake.handle(request(ports, JSON.stringify({ action: 'buy', id: `junk${i}` })));
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 3; i++) {
      last = await intake.handle(request(ports, json({ action: 'buy', id: `n${i}` })));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 429]);
    expect(last).toMatchObject({ headers: { 'retry-after': '10' }, body: { error: { code: 'SIGNAL.RATE_LIMITED' } } });
  });

  it('samples floods of rejections: one log entry a second per hook and code, counting the rest', async () => {
    const ports = new FakeIntakePorts();
    const intake = new SignalIntake(ports);
    for (let i = 0; i < 50; i++) await intake.handle(request(ports, JSON.stringify({ action: 'buy' })));
    ports.nowValue += 1000;
    await intake.handle(request(ports, JSON.stringify({ action: 'buy' })));
    expect(ports.records.map((r) => r.suppressed)).toEqual([0, 49]);
  });

  it('refuses sources outside the allowlist with 403', async () => {
    const ports = new FakeIntakePorts({ ipAllowlist: ['52.89.214.238'] });
    const intake = new SignalIntake(ports);
    expect((await intake.handle(request(ports, json({ action: 'buy', id: 'x' }), { forwardedFor: '6.6.6.6' }))).status).toBe(403);
    expect((await intake.handle(request(ports, json({ action: 'buy', id: 'x' }), { forwardedFor: null }))).status).toBe(403);
    expect((await intake.handle(request(ports, json({ action: 'buy', id: 'x' }), { forwardedFor: '6.6.6.6, 52.89.214.238' }))).status).toBe(202);
  });

  it('refuses wrong content types with 415', async () => {
    const ports = new FakeIntakePorts();
    const reply = await new SignalIntake(ports).handle(request(ports, 'action=buy', { contentType: 'application/x-www-form-urlencoded' }));
    expect(reply).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
  });

  it('answers 409 for a stopped bot, takes exits from a paused one and routes pause/resume to the entity operations', async () => {
    const ports = new FakeIntakePorts({ allowControl: true });
    const intake = new SignalIntake(ports);
    ports.bots.set('bot1', { status: 'stopped', strategyId: 'signal', symbol: 'BTC/USDT' });
    expect(await intake.handle(request(ports, json({ action: 'buy', id: '1' })))).toMatchObject({ status: 409, body: { error: { code: 'SIGNAL.BOT_NOT_ACCEPTING' } } });
    ports.bots.set('bot1', { status: 'paused', strategyId: 'signal', symbol: 'BTC/USDT' });
    expect((await intake.handle(request(ports, json({ action: 'long', id: '2' })))).status).toBe(409);
    expect((await intake.handle(request(ports, json({ action: 'exit_long', id: '3' })))).status).toBe(202);
    expect((await intake.handle(request(ports, json({ action: 'resume', id: '4' })))).status).toBe(202);
    expect(ports.deliveries.map((d) => d.delivery.op)).toEqual(['signal', 'resume']);
    expect(ports.deliveries[1]!.delivery.input).toEqual({ commandId: expect.any(String), actor: expect.stringMatching(/^hook:/), atMs: ports.nowValue });
  });

  it('takes trading signals only for signal-strategy bots and control signals only when the hook allows them', async () => {
    const ports = new FakeIntakePorts();
    const intake = new SignalIntake(ports);
    expect((await intake.handle(request(ports, json({ action: 'pause', id: 'p' })))).status).toBe(403);
    expect((await intake.handle(request(ports, json({ action: 'close', id: 'c' })))).status).toBe(202);
    ports.bots.set('bot1', { status: 'running', strategyId: 'sma-cross', symbol: 'BTC/USDT' });
    expect(await intake.handle(request(ports, json({ action: 'buy', id: 'b' })))).toMatchObject({ status: 403, body: { error: { code: 'SIGNAL.ACTION_NOT_ALLOWED' } } });
    expect((await intake.handle(request(ports, json({ action: 'close', id: 'c2' })))).status).toBe(403);
  });

  it('answers 503 and frees the idempotency key when the bot entity cannot be reached', async () => {
    const ports = new FakeIntakePorts();
    const intake = new SignalIntake(ports);
    ports.failDelivery = true;
    expect(await intake.handle(request(ports, json({ action: 'buy', id: 'z' })))).toMatchObject({ status: 503, body: { error: { code: 'SIGNAL.UNAVAILABLE' } } });
    ports.failDelivery = false;
    expect((await intake.handle(request(ports, json({ action: 'buy', id: 'z' })))).status).toBe(202);
  });

  it('keeps rejected authenticated signals replayable within the window, and replays them once the cause is fixed', async () => {
    const ports = new FakeIntakePorts();
    const intake = new SignalIntake(ports);
    ports.bots.set('bot1', { status: 'stopped', strategyId: 'signal', symbol: 'BTC/USDT' });
    const rejected = await intake.handle(request(ports, json({ action: 'buy', quantity: 2 })));
    const original = ports.records.find((r) => r.id === rejected.signalId)!;
    expect(original).toMatchObject({ outcome: 'rejected', replayableUntilMs: ports.nowValue + 3600_000, payload: { kind: 'json', value: { action: 'buy', quantity: 2 } } });
    ports.bots.set('bot1', { status: 'running', strategyId: 'signal', symbol: 'BTC/USDT' });
    const hook = ports.hooks.get(HOOK_ID)!;
    const replayed = await intake.replay(original, hook, 'user:owner', ports.nowValue + 1000, 0);
    expect(replayed).toMatchObject({ status: 202 });
    expect(ports.deliveries[0]!.delivery).toMatchObject({ op: 'signal', input: { actor: 'user:owner', order: { size: { mode: 'quantity', value: 2 } } } });
    expect(ports.records.at(-1)).toMatchObject({ replayOf: original.id, auth: 'owner', outcome: 'accepted' });
    // The same alert sent again is a duplicate of the replay (the key is the original body's).
    expect(await intake.handle(request(ports, json({ action: 'buy', quantity: 2 })))).toMatchObject({ status: 200, body: { status: 'duplicate' } });
  });

  it('does not keep unauthenticated or malformed signals replayable', async () => {
    const ports = new FakeIntakePorts();
    const intake = new SignalIntake(ports);
    await intake.handle(request(ports, JSON.stringify({ action: 'buy' })));
    await intake.handle(request(ports, json({ action: 'buy', quantity: 'NaN' })));
    expect(ports.records.map((r) => r.replayableUntilMs)).toEqual([null, null]);
  });

  it('sends test alerts as dry-run signals even for pause, and never marks them replayable', async () => {
    const ports = new FakeIntakePorts({ allowControl: true });
    const intake = new SignalIntake(ports);
    const reply = await intake.handle({ ...request(ports, json({ action: 'pause', id: 't' })), test: true });
    expect(reply).toMatchObject({ status: 202, body: { test: true } });
    expect(ports.deliveries[0]!.delivery).toMatchObject({ op: 'signal', input: { test: true, order: { action: 'pause' } } });
    expect(ports.records[0]).toMatchObject({ test: true });
  });
});
