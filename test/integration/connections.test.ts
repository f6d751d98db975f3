import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, expectNoSecretLeak, hostCosmosClient, principalFor, type ErrorBody } from '../support/api-client';
import { startExchangeMock, type ExchangeMock } from '../support/exchange-mock';
import { startLocalHost, type LocalHost } from '../support/local-host';

// Host starts and fuzz loops can exceed Jest's 5 s default on a slow machine (the projects-level
// testTimeout in jest.config.cjs is not applied by Jest 30).
jest.setTimeout(120_000);

interface View {
  id: string;
  exchangeId: string;
  label: string;
  mode: string;
  keyHint: string | null;
  hasCredentials: boolean;
  paper: { startingBalance: { currency: string; amount: number } } | null;
  lastTest: { status: string; code: string; checkedAtMs: number; withdrawalPermission: string } | null;
  etag: string;
}
interface TestAnswer {
  test: { status: string; code: string; withdrawalPermission: string; checkedAtMs: number };
  connection: View;
}

const KEYS = {
  tradeOnly: { apiKey: 'ITEST-binance-trade-only-key-0001', secret: 'ITEST-binance-secret-never-shown-0001' },
  withdraw: { apiKey: 'ITEST-binance-withdraw-key-0002', secret: 'ITEST-binance-secret-never-shown-0002' },
  rotated: { apiKey: 'ITEST-binance-rotated-key-0003', secret: 'ITEST-binance-secret-never-shown-0003' },
  okx: { apiKey: 'ITEST-okx-key-0004', secret: 'ITEST-okx-secret-never-shown-0004', passphrase: 'ITEST-okx-passphrase-0004' },
};
const ALL_SECRETS = Object.values(KEYS).flatMap((k) => Object.values(k));

describe('connections API (local host + local Cosmos + exchange mock)', () => {
  let mock: ExchangeMock;
  let host: LocalHost;
  let alice: ApiClient;

  beforeAll(async () => {
    mock = await startExchangeMock({
      [KEYS.tradeOnly.apiKey]: { secret: KEYS.tradeOnly.secret, canWithdraw: false },
      [KEYS.withdraw.apiKey]: { secret: KEYS.withdraw.secret, canWithdraw: true },
      [KEYS.rotated.apiKey]: { secret: KEYS.rotated.secret, canWithdraw: false },
      [KEYS.okx.apiKey]: { secret: KEYS.okx.secret, passphrase: KEYS.okx.passphrase, canWithdraw: false },
    });
    host = await startLocalHost({ env: { TT_EXCHANGE_API_OVERRIDES: `binance=${mock.origin},okx=${mock.origin}` } });
    alice = new ApiClient(host.baseUrl, { principal: principalFor('alice-connections') });
  });
  afterAll(async () => {
    await host.stop();
    await mock.stop();
  });

  const create = (body: unknown) => alice.post<View>('/api/connections', { body });

  it('creates a paper connection with the default starting balance and tests it without credentials', async () => {
    const created = await create({ exchangeId: 'paper', label: 'Simulated 📈', mode: 'paper' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ exchangeId: 'paper', mode: 'paper', label: 'Simulated 📈', hasCredentials: false, keyHint: null, paper: { startingBalance: { currency: 'USD', amount: 10000 } } });
    expect(created.headers.get('etag')).toBe(created.body.etag);
    const tested = await alice.post<TestAnswer>(`/api/connections/${created.body.id}/test`);
    expect(tested.status).toBe(200);
    expect(tested.body.test).toMatchObject({ status: 'passed', withdrawalPermission: 'not-applicable' });
    const read = await alice.get<View>(`/api/connections/${created.body.id}`);
    expect(read.body.lastTest).toEqual(tested.body.test);
  });

  it('stores credentials outside the record and shows only a 4-character key hint', async () => {
    const created = await create({ exchangeId: 'binance', label: 'Main', mode: 'live', credentials: KEYS.tradeOnly });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ keyHint: '••••0001', hasCredentials: true, lastTest: null });
    expect(created.text).not.toContain(KEYS.tradeOnly.secret);
    expect(created.text).not.toContain(KEYS.tradeOnly.apiKey);
    const docs = await hostCosmosClient(host).database('tradingtower').container('connections').items.query(`SELECT * FROM c WHERE c.id = '${created.body.id}'`).fetchAll();
    expect(docs.resources).toHaveLength(1);
    expect(JSON.stringify(docs.resources)).not.toContain(KEYS.tradeOnly.secret);
  });

  it('tests a live binance key against the exchange with the stored credentials and records the result', async () => {
    const created = await create({ exchangeId: 'binance', label: 'Live trade-only', mode: 'live', credentials: KEYS.tradeOnly });
    mock.requests.length = 0;
    const tested = await alice.post<TestAnswer>(`/api/connections/${created.body.id}/test`);
    expect(tested.status).toBe(200);
    expect(tested.body.test).toMatchObject({ status: 'passed', code: 'CONNECTION.TEST_PASSED', withdrawalPermission: 'absent' });
    expect(tested.body.connection.lastTest).toEqual(tested.body.test);
    // The mock verified the HMAC signature with the secret: the stored credentials were used intact.
    expect(mock.requests.map((r) => [r.path, r.apiKey, r.authenticated])).toEqual([
      ['/api/v3/account', KEYS.tradeOnly.apiKey, true],
      ['/sapi/v1/account/apiRestrictions', KEYS.tradeOnly.apiKey, true],
    ]);
  });

  it('refuses a live key that can withdraw, and accepts the same key in sandbox mode', async () => {
    const created = await create({ exchangeId: 'binance', label: 'Risky', mode: 'live', credentials: KEYS.withdraw });
    const tested = await alice.post<TestAnswer>(`/api/connections/${created.body.id}/test`);
    expect(tested.body.test).toMatchObject({ status: 'failed', code: 'EXCHANGE.WITHDRAWAL_ENABLED', withdrawalPermission: 'present' });
    const sandbox = await create({ exchangeId: 'binance', label: 'Sandbox', mode: 'sandbox', credentials: KEYS.withdraw });
    expect((await alice.post<TestAnswer>(`/api/connections/${sandbox.body.id}/test`)).body.test.status).toBe('passed');
  });

  it('tests an okx connection that needs a passphrase', async () => {
    const created = await create({ exchangeId: 'okx', label: 'OKX', mode: 'live', credentials: KEYS.okx });
    expect(created.status).toBe(201);
    const tested = await alice.post<TestAnswer>(`/api/connections/${created.body.id}/test`);
    expect(tested.body.test).toMatchObject({ status: 'passed', withdrawalPermission: 'absent' });
  });

  it('updates with If-Match, refuses a stale ETag with CONFLICT and a missing one with 428', async () => {
    const created = await create({ exchangeId: 'paper', label: 'Before', mode: 'paper' });
    const id = created.body.id;
    const noIfMatch = await alice.patch<ErrorBody>(`/api/connections/${id}`, { body: { label: 'x' } });
    expect(noIfMatch.status).toBe(428);
    expect(noIfMatch.body.error.code).toBe('PRECONDITION_REQUIRED');
    const first = await alice.patch<View>(`/api/connections/${id}`, { body: { label: 'After' }, headers: { 'if-match': created.body.etag } });
    expect(first.status).toBe(200);
    expect(first.body.label).toBe('After');
    expect(first.body.etag).not.toBe(created.body.etag);
    const stale = await alice.patch<ErrorBody>(`/api/connections/${id}`, { body: { label: 'Lost update' }, headers: { 'if-match': created.body.etag } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CONFLICT');
    expect((await alice.get<View>(`/api/connections/${id}`)).body.label).toBe('After');
  });

  it('lets exactly one of several concurrent updates with the same ETag win', async () => {
    const created = await create({ exchangeId: 'paper', label: 'Race', mode: 'paper' });
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => alice.patch<View & ErrorBody>(`/api/connections/${created.body.id}`, { body: { label: `writer ${i}` }, headers: { 'if-match': created.body.etag } })),
    );
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    for (const a of attempts.filter((x) => x.status === 409)) expect(a.body.error.code).toBe('CONFLICT');
    const winner = attempts.find((a) => a.status === 200);
    expect((await alice.get<View>(`/api/connections/${created.body.id}`)).body.label).toBe(winner?.body.label);
  });

  it('rotates credentials: the new key is used, the old secret is removed, and the last test is cleared', async () => {
    const created = await create({ exchangeId: 'binance', label: 'Rotate', mode: 'live', credentials: KEYS.tradeOnly });
    const id = created.body.id;
    const tested = await alice.post<TestAnswer>(`/api/connections/${id}/test`);
    const secretsBefore = secretEntriesFor(host, id);
    expect(secretsBefore).toHaveLength(1);
    const rotated = await alice.patch<View>(`/api/connections/${id}`, { body: { credentials: KEYS.rotated }, headers: { 'if-match': tested.body.connection.etag } });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ keyHint: '••••0003', lastTest: null });
    const secretsAfter = secretEntriesFor(host, id);
    expect(secretsAfter).toHaveLength(1);
    expect(secretsAfter).not.toEqual(secretsBefore);
    mock.requests.length = 0;
    await alice.post(`/api/connections/${id}/test`);
    expect(mock.requests[0]?.apiKey).toBe(KEYS.rotated.apiKey);
  });

  it('keeps the credentials in use when a credentials update loses on a stale ETag', async () => {
    const created = await create({ exchangeId: 'binance', label: 'Keep', mode: 'live', credentials: KEYS.tradeOnly });
    const id = created.body.id;
    await alice.patch(`/api/connections/${id}`, { body: { label: 'moved on' }, headers: { 'if-match': created.body.etag } });
    const stale = await alice.patch(`/api/connections/${id}`, { body: { credentials: KEYS.rotated }, headers: { 'if-match': created.body.etag } });
    expect(stale.status).toBe(409);
    mock.requests.length = 0;
    await alice.post(`/api/connections/${id}/test`);
    expect(mock.requests[0]?.apiKey).toBe(KEYS.tradeOnly.apiKey);
    expect(secretEntriesFor(host, id)).toHaveLength(1);
  });

  it('refuses to delete a connection used by a running bot until the bot is stopped', async () => {
    const created = await create({ exchangeId: 'paper', label: 'In use', mode: 'paper' });
    const id = created.body.id;
    const me = await alice.get<{ tenantId: string }>('/api/me');
    const bots = hostCosmosClient(host).database('tradingtower').container('bots');
    const bot = { id: `bot${id.slice(0, 8)}`, tenantId: me.body.tenantId, connectionId: id, status: 'running' };
    await bots.items.create(bot);
    const refused = await alice.delete<ErrorBody>(`/api/connections/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'connection-in-use', botIds: [bot.id] } });
    await bots.item(bot.id, [bot.tenantId, bot.id]).replace({ ...bot, status: 'stopped' });
    expect((await alice.delete(`/api/connections/${id}`)).status).toBe(204);
    expect((await alice.get(`/api/connections/${id}`)).status).toBe(404);
  });

  it('deletes the credentials together with the connection', async () => {
    const created = await create({ exchangeId: 'binance', label: 'Gone', mode: 'live', credentials: KEYS.tradeOnly });
    expect(secretEntriesFor(host, created.body.id)).toHaveLength(1);
    expect((await alice.delete(`/api/connections/${created.body.id}`)).status).toBe(204);
    expect(secretEntriesFor(host, created.body.id)).toHaveLength(0);
  });

  it('pages the list with continuation tokens, newest first', async () => {
    const bob = new ApiClient(host.baseUrl, { principal: principalFor('bob-paging') });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await bob.post<View>('/api/connections', { body: { exchangeId: 'paper', label: `p${i}`, mode: 'paper' } })).body.id);
    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const query: string = next ? `&continuation=${next}` : '';
      const page = await bob.get<{ items: View[]; continuationToken: string | null }>(`/api/connections?limit=2${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((v) => v.id));
      next = page.body.continuationToken;
      pages += 1;
    } while (next);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it('never shows a credential in any response or host log line', () => {
    expectNoSecretLeak(host, ALL_SECRETS);
  });
});

/** Names of secret-store entries of one connection (names are not secret; values are encrypted). */
function secretEntriesFor(host: LocalHost, connectionId: string): string[] {
  const path = join(host.dataDir, 'secrets', 'secrets.json');
  const file = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { secrets: Record<string, unknown> }) : { secrets: {} };
  return Object.keys(file.secrets).filter((name) => name.includes(connectionId));
}
