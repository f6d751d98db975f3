/** Sign-in at the edge: every route refuses missing, malformed or anonymous principals and bad tokens with 401. */
import { ApiClient, encodePrincipal, principalFor, type ErrorBody } from '../support/api-client';
import { startLocalHost, type LocalHost } from '../support/local-host';

// Host starts and fuzz loops can exceed Jest's 5 s default on a slow machine (the projects-level
// testTimeout in jest.config.cjs is not applied by Jest 30).
jest.setTimeout(120_000);

const SOME_CONNECTION = '0123456789abcdef0123456789abcdef';
const SOME_TOKEN = '0123456789abcdef01234567';

/** Every route of this API (method, path, body for unsafe methods). */
const ROUTES: [string, string, unknown][] = [
  ['GET', '/api/me', undefined],
  ['GET', '/api/tokens', undefined],
  ['POST', '/api/tokens', { name: 'x', scopes: ['read'] }],
  ['DELETE', `/api/tokens/${SOME_TOKEN}`, undefined],
  ['GET', '/api/connections', undefined],
  ['POST', '/api/connections', { exchangeId: 'paper', label: 'x', mode: 'paper' }],
  ['GET', `/api/connections/${SOME_CONNECTION}`, undefined],
  ['PATCH', `/api/connections/${SOME_CONNECTION}`, { label: 'x' }],
  ['DELETE', `/api/connections/${SOME_CONNECTION}`, undefined],
  ['POST', `/api/connections/${SOME_CONNECTION}/test`, undefined],
];

const BAD_PRINCIPALS: [string, string][] = [
  ['not base64', '%%%'],
  ['base64 of text', Buffer.from('hello').toString('base64')],
  ['JSON without userId', encodePrincipal({ identityProvider: 'aad', userRoles: ['authenticated'] })],
  ['userId of the wrong type', encodePrincipal({ identityProvider: 'aad', userId: { $ne: null }, userRoles: ['authenticated'] })],
  ['an anonymous visitor', encodePrincipal({ identityProvider: 'aad', userId: 'u', userRoles: ['anonymous'] })],
  ['a JSON array', encodePrincipal([principalFor('x')])],
];

describe('authentication at the API edge (local host)', () => {
  let host: LocalHost;
  beforeAll(async () => {
    host = await startLocalHost();
  });
  afterAll(() => host.stop());

  const call = (client: ApiClient, method: string, path: string, body: unknown) => client.request<ErrorBody>(method, path, body === undefined ? {} : { body });

  it.each(ROUTES)('%s %s answers 401 AUTH.REQUIRED without a principal', async (method, path, body) => {
    const res = await call(new ApiClient(host.baseUrl), method, path, body);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH.REQUIRED');
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
  });

  it.each(ROUTES)('%s %s answers 401 to every malformed principal', async (method, path, body) => {
    for (const [, header] of BAD_PRINCIPALS) {
      const res = await call(new ApiClient(host.baseUrl, { rawPrincipalHeader: header }), method, path, body);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('AUTH.INVALID_PRINCIPAL');
    }
  });

  it.each(ROUTES)('%s %s answers 401 to a presented token that is not valid', async (method, path, body) => {
    const forged = `tt_${'a'.repeat(32)}_${'b'.repeat(24)}_${'c'.repeat(43)}`;
    for (const client of [new ApiClient(host.baseUrl, { token: forged }), new ApiClient(host.baseUrl, { token: 'tt_short' }), new ApiClient(host.baseUrl, { token: 'nope', tokenVia: 'x-tt-token' })]) {
      const res = await call(client, method, path, body);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('AUTH.INVALID_TOKEN');
    }
  });

  it('ignores a foreign Authorization value (Static Web Apps injects its own) and uses the principal', async () => {
    const signedIn = new ApiClient(host.baseUrl, { principal: principalFor('swa-proxied') });
    const res = await signedIn.get('/api/me', { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.injected-by-platform.sig' } });
    expect(res.status).toBe(200);
    expect(res.body.authenticatedBy).toBe('principal');
    const anonymous = await new ApiClient(host.baseUrl).get<ErrorBody>('/api/me', { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.x.y' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('AUTH.REQUIRED');
  });

  it('returns tenant id, display name and roles for the signed-in user', async () => {
    const principal = { ...principalFor('carol'), userDetails: 'Carol Example', userRoles: ['anonymous', 'authenticated', 'admin'] };
    const res = await new ApiClient(host.baseUrl, { principal }).get('/api/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      tenantId: expect.stringMatching(/^[0-9a-f]{32}$/),
      displayName: 'Carol Example',
      identityProvider: 'aad',
      roles: ['anonymous', 'authenticated', 'admin'],
      authenticatedBy: 'principal',
      scopes: ['read', 'trade'],
    });
    const again = await new ApiClient(host.baseUrl, { principal: { ...principal, userDetails: 'Renamed' } }).get('/api/me');
    expect(again.body.tenantId).toBe(res.body.tenantId);
  });

  it('refuses a cookie-authenticated POST that does not declare JSON (CSRF) with 415', async () => {
    const res = await new ApiClient(host.baseUrl, { principal: principalFor('dave') }).post<ErrorBody>('/api/connections', {
      rawBody: 'exchangeId=paper&label=x&mode=paper',
      json: false,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
