import { eventually, startLocalHost, tempDataDir, type LocalHost } from '../support/local-host';

const FIXTURE = 'dist/test/fixtures/sample-app/index.js';

describe('local Functions host (sample app)', () => {
  let host: LocalHost;
  beforeAll(async () => {
    host = await startLocalHost({ appMain: FIXTURE });
  });
  afterAll(async () => {
    await host.stop();
  });

  const get = (path: string, init?: RequestInit) => fetch(`${host.baseUrl}${path}`, init);

  it('binds route parameters and query strings', async () => {
    const res = await get('/api/hello/World?q=1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: 'World', q: '1' });
  });

  it('applies the int constraint and prefers literal segments', async () => {
    expect(await (await get('/api/items/42')).json()).toEqual({ id: 42, kind: 'int' });
    expect(await (await get('/api/items/new')).json()).toEqual({ kind: 'literal' });
    expect((await get('/api/items/abc')).status).toBe(404);
  });

  it('supports optional and catch-all parameters', async () => {
    expect(await (await get('/api/optional')).json()).toEqual({ id: null });
    expect(await (await get('/api/optional/7')).json()).toEqual({ id: '7' });
    expect(await (await get('/api/files/a/b/c.txt')).json()).toEqual({ rest: 'a/b/c.txt' });
  });

  it('answers 405 with Allow for a wrong method and 404 for unknown routes', async () => {
    const res = await get('/api/echo');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, PUT');
    expect((await get('/api/nope')).status).toBe(404);
  });

  it('passes JSON bodies, status, headers and cookies through', async () => {
    const res = await get('/api/echo', { method: 'PUT', body: JSON.stringify({ a: [1, 'ü'] }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-echo-method')).toBe('PUT');
    expect(res.headers.get('set-cookie')).toMatch(/^session=abc; Path=\/; HttpOnly; SameSite=Strict/);
    expect(await res.json()).toEqual({ body: { a: [1, 'ü'] } });
  });

  it('requires the function key for authLevel function', async () => {
    expect((await get('/api/secure')).status).toBe(401);
    expect((await get('/api/secure', { headers: { 'x-functions-key': 'wrong' } })).status).toBe(401);
    expect((await get('/api/secure', { headers: { 'x-functions-key': host.functionKey } })).status).toBe(200);
    expect((await get(`/api/secure?code=${encodeURIComponent(host.functionKey)}`)).status).toBe(200);
  });

  it('runs pre and post invocation hooks around every invocation', async () => {
    const res = await get('/api/hooks');
    expect(res.headers.get('x-post-hook')).toBe('ran');
    const body = (await res.json()) as { hookLog: string[] };
    expect(body.hookLog).toContain('pre:hooks');
  });

  it('hides handler errors from the client and logs them', async () => {
    const res = await get('/api/boom');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('internal detail');
    await eventually(() => Promise.resolve(host.logs.some((l) => l.includes('deliberate failure with internal detail')) ? true : undefined));
  });

  it('fires timer triggers on their NCRONTAB schedule', async () => {
    const fires = await eventually(async () => {
      const body = (await (await get('/api/timer-count')).json()) as { fires: number };
      return body.fires >= 2 ? body.fires : undefined;
    });
    expect(fires).toBeGreaterThanOrEqual(2);
  });

  it('delivers entity signals sent through df.getClient and reads state back', async () => {
    for (let i = 0; i < 25; i++) {
      expect((await get(`/api/counters/c1/add?by=${i}`, { method: 'POST' })).status).toBe(202);
    }
    const value = await eventually(async () => {
      const res = await get('/api/counters/c1');
      if (res.status !== 200) return undefined;
      const body = (await res.json()) as { value: number };
      return body.value === 300 ? body.value : undefined;
    });
    expect(value).toBe(300);
  });

  it('logs a throwing entity operation and keeps the state', async () => {
    await get('/api/counters/c2/add?by=5', { method: 'POST' });
    await get('/api/counters/c2/fail', { method: 'POST' });
    await get('/api/counters/c2/add?by=2', { method: 'POST' });
    const value = await eventually(async () => {
      const body = (await (await get('/api/counters/c2')).json()) as { value: number };
      return body.value === 7 ? body.value : undefined;
    });
    expect(value).toBe(7);
    await eventually(() => Promise.resolve(host.logs.some((l) => l.includes('counter refused the fail operation')) ? true : undefined));
  });
});

describe('local host persistence', () => {
  it('keeps Cosmos data and entity state across a clean restart and a kill -9', async () => {
    const dataDir = tempDataDir();
    let host = await startLocalHost({ appMain: FIXTURE, dataDir });
    const put = (h: LocalHost, id: string, text: string) =>
      fetch(`${h.baseUrl}/api/notes/${id}`, { method: 'PUT', body: JSON.stringify({ text }), headers: { 'content-type': 'application/json' } });
    const read = async (h: LocalHost, id: string) => {
      const res = await fetch(`${h.baseUrl}/api/notes/${id}`);
      return res.status === 200 ? ((await res.json()) as { text: string }).text : res.status;
    };
    expect((await put(host, 'n1', 'before restart')).status).toBe(204);
    await fetch(`${host.baseUrl}/api/counters/p1/add?by=3`, { method: 'POST' });
    await eventually(async () => ((await fetch(`${host.baseUrl}/api/counters/p1`)).status === 200 ? true : undefined));
    expect(await host.stop()).toBe(0);

    host = await startLocalHost({ appMain: FIXTURE, dataDir });
    expect(await read(host, 'n1')).toBe('before restart');
    expect((await put(host, 'n2', 'before kill')).status).toBe(204);
    await host.kill9();

    host = await startLocalHost({ appMain: FIXTURE, dataDir });
    expect(await read(host, 'n1')).toBe('before restart');
    expect(await read(host, 'n2')).toBe('before kill');
    const counter = (await (await fetch(`${host.baseUrl}/api/counters/p1`)).json()) as { value: number };
    expect(counter.value).toBe(3);
    await host.stop();
  });
});
