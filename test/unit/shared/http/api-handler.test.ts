import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { appError, err, ok } from '../../../../shared/core/result';
import { createAuthenticator } from '../../../../shared/auth/authenticator';
import { encodeClientPrincipal, tenantIdFor } from '../../../../shared/auth/client-principal';
import { issueApiToken } from '../../../../shared/auth/api-token-codec';
import { newApiTokenRecord, type ApiTokenRecord } from '../../../../shared/domain/api-token';
import { createApiHandler, reply, type ApiEndpointSpec } from '../../../../shared/http/api-handler';

const NOW = 1_800_000_000_000;
const user = { identityProvider: 'aad', userId: 'u1', userDetails: 'Alice', userRoles: ['authenticated'] };
const TENANT = tenantIdFor(user);
const PRINCIPAL = encodeClientPrincipal(user);

function harness<B, Q, P>(spec: ApiEndpointSpec<B, Q, P, { marker: string }>, tokens: ApiTokenRecord[] = []) {
  const logs: string[] = [];
  const handler = createApiHandler(spec, () =>
    Promise.resolve({
      authenticate: createAuthenticator({ findToken: (t, id) => Promise.resolve(tokens.find((r) => r.tenantId === t && r.id === id)), nowMs: () => NOW }),
      services: { marker: 'svc' },
      nowMs: () => NOW,
    }),
  );
  const call = async (init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array; params?: Record<string, string>; query?: Record<string, string> }) => {
    const request = new HttpRequest({
      method: init.method ?? 'GET',
      url: 'http://localhost/api/x',
      headers: init.headers ?? {},
      params: init.params ?? {},
      query: init.query ?? {},
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? { string: init.body } : { bytes: init.body } }),
    });
    const context = new InvocationContext({ invocationId: 'inv-1', functionName: 'x', logHandler: (level, ...args) => logs.push(`${level} ${args.map(String).join(' ')}`) });
    const res = (await handler(request, context)) as HttpResponseInit;
    return { status: res.status ?? 200, body: res.jsonBody as { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>, headers: res.headers as Record<string, string> };
  };
  return { call, logs };
}

const signedIn = { 'x-ms-client-principal': PRINCIPAL };
const jsonHeaders = { ...signedIn, 'content-type': 'application/json' };
const echo: ApiEndpointSpec<unknown, unknown, unknown, { marker: string }>['handle'] = (c) =>
  Promise.resolve(ok(reply.ok({ tenantId: c.auth.tenantId, body: c.body ?? null, query: c.query ?? null, params: c.params ?? null, marker: c.services.marker })));

describe('createApiHandler: authentication', () => {
  const { call } = harness({ auth: { allow: 'principal-or-token', scope: 'read' }, handle: echo });

  it('passes the tenant derived from the principal, never from the request', async () => {
    const res = await call({ headers: signedIn, query: {} });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tenantId: TENANT, marker: 'svc' });
  });

  it('answers 401 with the error envelope when the principal is missing or malformed', async () => {
    for (const headers of [{} as Record<string, string>, { 'x-ms-client-principal': 'garbage!!' }, { 'x-ms-client-principal': Buffer.from('{"userId":1}').toString('base64') }]) {
      const res = await call({ headers });
      expect(res.status).toBe(401);
      expect(res.body.error?.code).toMatch(/^AUTH\./);
      expect(typeof res.body.error?.message).toBe('string');
    }
  });

  it('answers 403 for a token on a principal-only route and for a missing scope', async () => {
    const issued = issueApiToken(TENANT);
    const record = newApiTokenRecord({ id: issued.tokenId, tenantId: TENANT, name: 't', scopes: ['read'], tokenHash: issued.tokenHash, lifetimeDays: 1 }, NOW);
    const bearer = { authorization: `Bearer ${issued.token}` };
    const principalOnly = harness({ auth: { allow: 'principal', scope: 'read' }, handle: echo }, [record]);
    expect((await principalOnly.call({ headers: bearer })).body.error?.code).toBe('FORBIDDEN');
    const tradeRoute = harness({ auth: { allow: 'principal-or-token', scope: 'trade' }, handle: echo }, [record]);
    const res = await tradeRoute.call({ headers: bearer });
    expect(res.status).toBe(403);
    const readRoute = harness({ auth: { allow: 'principal-or-token', scope: 'read' }, handle: echo }, [record]);
    expect((await readRoute.call({ headers: bearer })).status).toBe(200);
  });
});

describe('createApiHandler: input', () => {
  const bodySchema = z.strictObject({ name: z.string().max(10), count: z.number().int() });
  const { call } = harness({
    auth: { allow: 'principal', scope: 'trade' },
    params: z.object({ id: z.string().regex(/^[0-9a-f]{4}$/) }),
    body: bodySchema,
    query: z.strictObject({ limit: z.coerce.number().int().max(5).optional() }),
    handle: echo,
  });
  const post = (body: string | Uint8Array, extra: { headers?: Record<string, string>; query?: Record<string, string> } = {}) =>
    call({ method: 'POST', headers: extra.headers ?? jsonHeaders, params: { id: 'ab12' }, body, query: extra.query ?? {} });

  it('hands the parsed body, query and params to the handler', async () => {
    const res = await post(JSON.stringify({ name: 'ü✓', count: 2 }), { query: { limit: '3' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ body: { name: 'ü✓', count: 2 }, query: { limit: 3 }, params: { id: 'ab12' } });
  });

  it('answers 404 for a route id that cannot exist', async () => {
    const res = await call({ method: 'POST', headers: jsonHeaders, params: { id: '../x' }, body: '{}' });
    expect(res.status).toBe(404);
    expect(res.body.error?.code).toBe('NOT_FOUND');
  });

  it('answers 400 VALIDATION.FAILED with per-field details', async () => {
    const res = await post(JSON.stringify({ name: null, count: 'x', extra: true }));
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('VALIDATION.FAILED');
    const paths = (res.body.error?.details as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(['count', 'extra', 'name']);
  });

  it('answers 400 for invalid JSON, invalid UTF-8, and a missing body', async () => {
    for (const body of ['{"name":', Uint8Array.from([0x7b, 0xff, 0x7d]), '']) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe('VALIDATION.FAILED');
    }
  });

  it('answers 400 for a bad query value', async () => {
    const res = await post(JSON.stringify({ name: 'a', count: 1 }), { query: { limit: '99' } });
    expect(res.status).toBe(400);
    expect(res.body.error?.details).toEqual([{ path: 'query.limit', message: expect.any(String) }]);
  });

  it('answers 413 for a body over 64 KB before parsing it', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(70 * 1024), count: 1 }));
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 415 unless a cookie-authenticated POST declares JSON', async () => {
    expect((await post(JSON.stringify({ name: 'a', count: 1 }), { headers: signedIn })).status).toBe(415);
    expect((await post(JSON.stringify({ name: 'a', count: 1 }), { headers: { ...signedIn, 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await post('name=a&count=1', { headers: { ...signedIn, 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await post(JSON.stringify({ name: 'a', count: 1 }), { headers: { ...signedIn, 'content-type': 'application/json; charset=utf-8' } })).status).toBe(200);
  });

  it('lets a route without a body schema take an empty body or {} only', async () => {
    const noBody = harness({ auth: { allow: 'principal', scope: 'trade' }, handle: echo });
    expect((await noBody.call({ method: 'POST', headers: jsonHeaders })).status).toBe(200);
    expect((await noBody.call({ method: 'POST', headers: jsonHeaders, body: '{}' })).status).toBe(200);
    const res = await noBody.call({ method: 'POST', headers: jsonHeaders, body: '{"x":1}' });
    expect(res.status).toBe(400);
    expect(res.body.error?.details).toEqual([{ path: 'x', message: 'is not a known field' }]);
  });
});

describe('createApiHandler: results and failures', () => {
  it('maps error codes through the table', async () => {
    for (const [code, status] of [['NOT_FOUND', 404], ['CONFLICT', 409], ['PRECONDITION_REQUIRED', 428]] as const) {
      const { call } = harness({ auth: { allow: 'principal', scope: 'read' }, handle: () => Promise.resolve(err(appError(code, 'msg', { reason: 'r' }))) });
      const res = await call({ headers: signedIn });
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ error: { code, message: 'msg', details: { reason: 'r' } } });
    }
  });

  it('answers 500 with a generic message for a thrown error and logs it redacted', async () => {
    const { call, logs } = harness({
      auth: { allow: 'principal', scope: 'read' },
      handle: (c) => {
        c.log.keepSecret('my-exchange-secret');
        throw new Error('exchange said: bad signature for my-exchange-secret at https://x/api?signature=abcdef123');
      },
    });
    const res = await call({ headers: signedIn });
    expect(res.status).toBe(500);
    expect(res.body.error?.code).toBe('INTERNAL');
    expect(JSON.stringify(res.body)).not.toMatch(/exchange said|at .*\.ts|my-exchange-secret/);
    const logged = logs.join('\n');
    expect(logged).toContain('exchange said: bad signature');
    expect(logged).not.toContain('my-exchange-secret');
    expect(logged).not.toContain('abcdef123');
    expect(logged).not.toContain(PRINCIPAL);
  });

  it('answers 500 for an error code missing from the table', async () => {
    const { call, logs } = harness({ auth: { allow: 'principal', scope: 'read' }, handle: () => Promise.resolve(err(appError('SOMETHING.NEW', 'detail'))) });
    const res = await call({ headers: signedIn });
    expect(res.status).toBe(500);
    expect(logs.join('\n')).toContain('SOMETHING.NEW');
  });

  it('marks every answer no-store', async () => {
    const { call } = harness({ auth: { allow: 'principal', scope: 'read' }, handle: echo });
    expect((await call({ headers: signedIn })).headers['cache-control']).toBe('no-store');
    expect((await call({ headers: {} })).headers['cache-control']).toBe('no-store');
  });
});
