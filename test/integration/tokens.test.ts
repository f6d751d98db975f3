/** Personal API tokens: shown once, stored hashed, scoped, revocable, and accepted as the tenant. */
import { ApiClient, hostCosmosClient, principalFor, seenResponses, type ErrorBody } from '../support/api-client';
import { startLocalHost, type LocalHost } from '../support/local-host';

// Host starts and fuzz loops can exceed Jest's 5 s default on a slow machine (the projects-level
// testTimeout in jest.config.cjs is not applied by Jest 30).
jest.setTimeout(120_000);

interface Created {
  id: string;
  token: string;
  name: string;
  scopes: string[];
  createdAtMs: number;
  expiresAtMs: number;
  expired: boolean;
}

const DAY = 86_400_000;

describe('API tokens (local host + local Cosmos)', () => {
  let host: LocalHost;
  let erin: ApiClient;
  const issued: string[] = [];

  beforeAll(async () => {
    host = await startLocalHost();
    erin = new ApiClient(host.baseUrl, { principal: principalFor('erin-tokens') });
  });
  afterAll(() => host.stop());

  const createToken = async (body: unknown) => {
    const res = await erin.post<Created>('/api/tokens', { body });
    if (res.status === 201) issued.push(res.body.token);
    return res;
  };

  it('creates a token that is shown once and stored only as a hash', async () => {
    const res = await createToken({ name: 'backup script', scopes: ['read'], expiresInDays: 7 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'backup script', scopes: ['read'], expired: false });
    expect(res.body.token).toMatch(/^tt_[0-9a-f]{32}_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    expect(res.body.expiresAtMs - res.body.createdAtMs).toBe(7 * DAY);
    const list = await erin.get<{ items: Record<string, unknown>[] }>('/api/tokens');
    expect(list.body.items.find((t) => t.id === res.body.id)).toEqual({ id: res.body.id, name: 'backup script', scopes: ['read'], createdAtMs: res.body.createdAtMs, expiresAtMs: res.body.expiresAtMs, expired: false });
    expect(list.text).not.toContain(res.body.token);
    const { resources } = await hostCosmosClient(host).database('tradingtower').container('apiTokens').items.query('SELECT * FROM c').fetchAll();
    expect(JSON.stringify(resources)).not.toContain(res.body.token);
    expect(resources.find((d: { id: string }) => d.id === res.body.id)).toMatchObject({ tokenHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('acts as its tenant: /api/me and the connections of the user who created it', async () => {
    const created = await createToken({ name: 'reader', scopes: ['read'] });
    const conn = await erin.post<{ id: string }>('/api/connections', { body: { exchangeId: 'paper', label: 'Erin sim', mode: 'paper' } });
    const script = erin.withToken(created.body.token);
    const me = await script.get<{ tenantId: string; authenticatedBy: string; scopes: string[] }>('/api/me');
    const meAsUser = await erin.get<{ tenantId: string }>('/api/me');
    expect(me.body).toMatchObject({ tenantId: meAsUser.body.tenantId, authenticatedBy: 'token', scopes: ['read'] });
    const list = await script.get<{ items: { id: string }[] }>('/api/connections');
    expect(list.body.items.map((c) => c.id)).toContain(conn.body.id);
    // The same token in X-TT-Token, the header that passes Static Web Apps unchanged.
    const viaHeader = await erin.withToken(created.body.token, 'x-tt-token').get<{ tenantId: string; authenticatedBy: string }>('/api/me');
    expect(viaHeader.body).toMatchObject({ tenantId: meAsUser.body.tenantId, authenticatedBy: 'token' });
  });

  it('enforces scopes: a read token cannot test a connection, a trade token can', async () => {
    const conn = await erin.post<{ id: string }>('/api/connections', { body: { exchangeId: 'paper', label: 'scoped', mode: 'paper' } });
    const read = erin.withToken((await createToken({ name: 'r', scopes: ['read'] })).body.token);
    const trade = erin.withToken((await createToken({ name: 't', scopes: ['read', 'trade'] })).body.token);
    const refused = await read.post<ErrorBody>(`/api/connections/${conn.body.id}/test`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect((await trade.post(`/api/connections/${conn.body.id}/test`)).status).toBe(200);
  });

  it('does not let a token manage tokens or credentials', async () => {
    const trade = erin.withToken((await createToken({ name: 'powerful', scopes: ['read', 'trade'] })).body.token);
    expect((await trade.post('/api/tokens', { body: { name: 'child', scopes: ['read'] } })).status).toBe(403);
    expect((await trade.get('/api/tokens')).status).toBe(403);
    expect((await trade.post('/api/connections', { body: { exchangeId: 'paper', label: 'x', mode: 'paper' } })).status).toBe(403);
  });

  it('stops accepting a token once it is revoked; revoking twice answers 404', async () => {
    const created = await createToken({ name: 'short-lived', scopes: ['read'] });
    const script = erin.withToken(created.body.token);
    expect((await script.get('/api/me')).status).toBe(200);
    expect((await erin.delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
    const after = await script.get<ErrorBody>('/api/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('AUTH.INVALID_TOKEN');
    expect((await erin.delete(`/api/tokens/${created.body.id}`)).status).toBe(404);
  });

  it('refuses an expired token with AUTH.TOKEN_EXPIRED', async () => {
    const created = await createToken({ name: 'expiring', scopes: ['read'], expiresInDays: 1 });
    const container = hostCosmosClient(host).database('tradingtower').container('apiTokens');
    const me = await erin.get<{ tenantId: string }>('/api/me');
    const item = container.item(created.body.id, [me.body.tenantId, created.body.id]);
    const { resource } = await item.read<{ expiresAtMs: number }>();
    // Planted directly: the API never issues a token that is already expired.
    await item.replace({ ...resource, expiresAtMs: 1 });
    const res = await erin.withToken(created.body.token).get<ErrorBody>('/api/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH.TOKEN_EXPIRED');
    const list = await erin.get<{ items: { id: string; expired: boolean }[] }>('/api/tokens');
    expect(list.body.items.find((t) => t.id === created.body.id)?.expired).toBe(true);
  });

  it('caps the number of unexpired tokens per tenant', async () => {
    const frank = new ApiClient(host.baseUrl, { principal: principalFor('frank-many-tokens') });
    const statuses: number[] = [];
    for (let i = 0; i < 26; i++) statuses.push((await frank.post('/api/tokens', { body: { name: `n${i}`, scopes: ['read'] } })).status);
    expect(statuses.slice(0, 25).every((s) => s === 201)).toBe(true);
    expect(statuses[25]).toBe(409);
  });

  it('never writes a token to the host log, and shows it in no response but its creation', () => {
    for (const token of issued) {
      expect(host.logs.some((l) => l.includes(token))).toBe(false);
      expect(seenResponses.filter((r) => r.includes(token))).toHaveLength(1);
    }
    expect(issued.length).toBeGreaterThan(5);
  });
});
