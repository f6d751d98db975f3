/**
 * Tenant isolation over every route: tenant B (signed in, or with its own API token) cannot list,
 * read, change, test or delete tenant A's connections or tokens; each attempt answers 404 exactly
 * like a resource that does not exist, and A's resources are unchanged afterwards.
 */
import { ApiClient, principalFor, type ErrorBody } from '../support/api-client';
import { startLocalHost, type LocalHost } from '../support/local-host';

// Host starts and fuzz loops can exceed Jest's 5 s default on a slow machine (the projects-level
// testTimeout in jest.config.cjs is not applied by Jest 30).
jest.setTimeout(120_000);

interface View {
  id: string;
  label: string;
  etag: string;
}

describe('tenant isolation (local host + local Cosmos)', () => {
  let host: LocalHost;
  let alice: ApiClient;
  let bob: ApiClient;
  let bobToken: ApiClient;
  let aliceConnection: View;
  let aliceTokenId: string;

  beforeAll(async () => {
    host = await startLocalHost();
    alice = new ApiClient(host.baseUrl, { principal: principalFor('alice-tenancy') });
    bob = new ApiClient(host.baseUrl, { principal: principalFor('bob-tenancy') });
    aliceConnection = (await alice.post<View>('/api/connections', { body: { exchangeId: 'paper', label: 'Alice paper', mode: 'paper' } })).body;
    aliceTokenId = (await alice.post<{ id: string }>('/api/tokens', { body: { name: 'alice script', scopes: ['read', 'trade'] } })).body.id;
    const bobsToken = await bob.post<{ token: string }>('/api/tokens', { body: { name: 'bob script', scopes: ['read', 'trade'] } });
    bobToken = bob.withToken(bobsToken.body.token);
    // Bob has resources of his own, so an empty list is not the trivial answer.
    await bob.post('/api/connections', { body: { exchangeId: 'paper', label: 'Bob paper', mode: 'paper' } });
  });
  afterAll(() => host.stop());

  // Every route that names a resource, with how B would call it.
  const foreignRoutes: [string, (as: ApiClient) => Promise<{ status: number; body: unknown }>][] = [
    ['GET /api/connections/{id}', (as) => as.get(`/api/connections/${aliceConnection.id}`)],
    ['PATCH /api/connections/{id}', (as) => as.patch(`/api/connections/${aliceConnection.id}`, { body: { label: 'pwned' }, headers: { 'if-match': aliceConnection.etag } })],
    ['DELETE /api/connections/{id}', (as) => as.delete(`/api/connections/${aliceConnection.id}`)],
    ['POST /api/connections/{id}/test', (as) => as.post(`/api/connections/${aliceConnection.id}/test`)],
    ['DELETE /api/tokens/{id}', (as) => as.delete(`/api/tokens/${aliceTokenId}`)],
  ];

  it.each(foreignRoutes)("answers 404 NOT_FOUND to another signed-in tenant on %s", async (_route, call) => {
    const res = await call(bob);
    expect(res.status).toBe(404);
    expect((res.body as ErrorBody).error.code).toBe('NOT_FOUND');
  });

  // Through a token, routes open to tokens answer 404; principal-only routes answer 403 before any
  // lookup, identically for a foreign and a missing id, so they reveal nothing either.
  it.each(foreignRoutes)("gives another tenant's API token no access on %s", async (route, call) => {
    const res = await call(bobToken);
    const principalOnly = route.startsWith('PATCH') || route.startsWith('DELETE');
    expect(res.status).toBe(principalOnly ? 403 : 404);
    expect((res.body as ErrorBody).error.code).toBe(principalOnly ? 'FORBIDDEN' : 'NOT_FOUND');
  });

  it('answers a foreign id exactly like an id that does not exist', async () => {
    const foreign = await bob.get(`/api/connections/${aliceConnection.id}`);
    const missing = await bob.get(`/api/connections/${'0'.repeat(32)}`);
    expect(foreign.status).toBe(missing.status);
    expect(foreign.body).toEqual(missing.body);
  });

  it.each([
    ['GET /api/connections', (as: ApiClient) => as.get<{ items: { id: string }[] }>('/api/connections?limit=100')],
    ['GET /api/tokens', (as: ApiClient) => as.get<{ items: { id: string }[] }>('/api/tokens?limit=100')],
  ])("never lists another tenant's resources on %s", async (_route, call) => {
    const res = await call(bob);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    const ids = res.body.items.map((i) => i.id);
    expect(ids).not.toContain(aliceConnection.id);
    expect(ids).not.toContain(aliceTokenId);
  });

  it("lists only the caller's connections through a token as well", async () => {
    const res = await bobToken.get<{ items: { id: string; label: string }[] }>('/api/connections');
    expect(res.body.items.map((i) => i.label)).toEqual(['Bob paper']);
  });

  it('takes the tenant from the principal only: tenant fields in body or query are refused', async () => {
    const me = await alice.get<{ tenantId: string }>('/api/me');
    const viaBody = await bob.post<ErrorBody>('/api/connections', { body: { exchangeId: 'paper', label: 'x', mode: 'paper', tenantId: me.body.tenantId } });
    expect(viaBody.status).toBe(400);
    expect(viaBody.body.error.details).toEqual([{ path: 'tenantId', message: 'is not a known field' }]);
    const viaQuery = await bob.get<ErrorBody>(`/api/connections?tenantId=${me.body.tenantId}`);
    expect(viaQuery.status).toBe(400);
  });

  it("leaves tenant A's resources untouched after all attempts", async () => {
    const read = await alice.get<View & { lastTest: unknown }>(`/api/connections/${aliceConnection.id}`);
    expect(read.status).toBe(200);
    expect(read.body.label).toBe('Alice paper');
    expect(read.body.etag).toBe(aliceConnection.etag);
    expect(read.body.lastTest).toBeNull();
    const tokens = await alice.get<{ items: { id: string }[] }>('/api/tokens');
    expect(tokens.body.items.map((t) => t.id)).toContain(aliceTokenId);
  });

  it('gives different providers with the same user id different tenants', async () => {
    const aad = await new ApiClient(host.baseUrl, { principal: principalFor('same-user', 'aad') }).get<{ tenantId: string }>('/api/me');
    const google = await new ApiClient(host.baseUrl, { principal: principalFor('same-user', 'google') }).get<{ tenantId: string }>('/api/me');
    expect(aad.body.tenantId).not.toBe(google.body.tenantId);
  });
});
