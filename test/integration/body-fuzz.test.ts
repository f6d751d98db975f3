/**
 * Fuzz-style tests of every body schema through the real host: wrong types, unknown keys, huge
 * strings, bodies over 64 KB, unicode, nulls, malformed JSON and seeded random mutations. The API
 * must answer 400 VALIDATION.FAILED naming the field (413 over 64 KB), accept what is valid, and never
 * answer 500.
 */
import { ApiClient, principalFor, type ApiResponse, type ErrorBody } from '../support/api-client';
import { startLocalHost, type LocalHost } from '../support/local-host';

// Host starts and fuzz loops can exceed Jest's 5 s default on a slow machine (the projects-level
// testTimeout in jest.config.cjs is not applied by Jest 30).
jest.setTimeout(120_000);

const LIMIT = 64 * 1024;
const WRONG_VALUES: unknown[] = [null, 0, -1, 1.5, true, 'text', [], {}, ['a'], { a: 1 }];

interface Schema {
  name: string;
  valid: Record<string, unknown>;
  /** Fields where any short string is valid (so 'text' is not a wrong value there). */
  freeText: string[];
  /** Sends one body; `raw` bodies go out as-is. */
  send(body: { json?: unknown; raw?: string }): Promise<ApiResponse<ErrorBody & Record<string, unknown>>>;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('body schemas under fuzzing (local host)', () => {
  let host: LocalHost;
  let user: ApiClient;
  let connectionId: string;
  let tenantSeq = 0;
  const schemas: Schema[] = [];

  beforeAll(async () => {
    host = await startLocalHost();
    user = new ApiClient(host.baseUrl, { principal: principalFor('fuzz-user') });
    const created = await user.post<{ id: string }>('/api/connections', { body: { exchangeId: 'paper', label: 'fuzz target', mode: 'paper' } });
    connectionId = created.body.id;
    const send = (method: string, path: () => string, client: () => ApiClient, headers: () => Promise<Record<string, string>> = () => Promise.resolve({})) => async (body: { json?: unknown; raw?: string }) =>
      client().request<ErrorBody & Record<string, unknown>>(method, path(), { rawBody: body.raw ?? JSON.stringify(body.json), headers: await headers() });
    schemas.push(
      {
        name: 'POST /api/connections',
        valid: { exchangeId: 'binance', label: 'Main', mode: 'live', credentials: { apiKey: 'FUZZ-KEY-000000001', secret: 'FUZZ-SECRET-1' } },
        freeText: ['label'],
        send: send('POST', () => '/api/connections', () => user),
      },
      {
        name: 'PATCH /api/connections/{id}',
        valid: { label: 'Renamed', paper: { startingBalance: { currency: 'EUR', amount: 2500 } } },
        freeText: ['label'],
        // Reads the current ETag first: the fuzzer tests the body, not concurrency.
        send: send('PATCH', () => `/api/connections/${connectionId}`, () => user, async () => ({ 'if-match': String((await user.get(`/api/connections/${connectionId}`)).body.etag) })),
      },
      {
        name: 'POST /api/tokens',
        valid: { name: 'fuzz token', scopes: ['read'], expiresInDays: 5 },
        freeText: ['name'],
        // A fresh tenant per call keeps valid bodies clear of the per-tenant token cap.
        send: send('POST', () => '/api/tokens', () => new ApiClient(host.baseUrl, { principal: principalFor(`fuzz-token-${tenantSeq++}`) })),
      },
    );
  });
  afterAll(() => host.stop());

  const schema = (name: string): Schema => {
    const s = schemas.find((x) => x.name === name);
    if (!s) throw new Error(name);
    return s;
  };
  const NAMES = ['POST /api/connections', 'PATCH /api/connections/{id}', 'POST /api/tokens'];

  function expectFieldError(res: ApiResponse<ErrorBody>, field: string): void {
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION.FAILED');
    const details = res.body.error.details as { path: string; message: string }[];
    expect(Array.isArray(details)).toBe(true);
    for (const d of details) {
      expect(typeof d.path).toBe('string');
      expect(d.message.length).toBeGreaterThan(0);
    }
    expect(details.some((d) => d.path === field || d.path.startsWith(`${field}.`))).toBe(true);
  }

  it.each(NAMES)('%s accepts its valid body', async (name) => {
    const res = await schema(name).send({ json: schema(name).valid });
    expect([200, 201]).toContain(res.status);
  });

  it.each(NAMES)('%s answers 400 naming the field for every wrong type and null', async (name) => {
    const s = schema(name);
    for (const field of Object.keys(s.valid)) {
      for (const wrong of WRONG_VALUES) {
        if (JSON.stringify(wrong) === JSON.stringify(s.valid[field]) || (wrong === 'text' && s.freeText.includes(field))) continue;
        const res = await s.send({ json: { ...s.valid, [field]: wrong } });
        if (res.status !== 400) throw new Error(`${name} ${field}=${JSON.stringify(wrong)} answered ${res.status}: ${res.text}`);
        expectFieldError(res, field);
      }
    }
  });

  it.each(NAMES)('%s refuses unknown keys at the top level and when nested', async (name) => {
    const s = schema(name);
    expectFieldError(await s.send({ json: { ...s.valid, isAdmin: true } }), 'isAdmin');
    expectFieldError(await s.send({ json: { ...s.valid, tenantId: 'f'.repeat(32) } }), 'tenantId');
    expectFieldError(await s.send({ raw: JSON.stringify(s.valid).replace(/^\{/, '{"__proto__":{"polluted":true},') }), '__proto__');
    const nested = Object.entries(s.valid).find(([, v]) => typeof v === 'object' && v !== null && !Array.isArray(v));
    if (nested) {
      const [field, value] = nested;
      expectFieldError(await s.send({ json: { ...s.valid, [field]: { ...(value as object), sneaky: 1 } } }), `${field}.sneaky`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(NAMES)('%s answers 400 for a huge string under the size limit and 413 over 64 KB', async (name) => {
    const s = schema(name);
    const field = Object.keys(s.valid).find((k) => typeof s.valid[k] === 'string' && k !== 'exchangeId' && k !== 'mode') ?? 'label';
    expectFieldError(await s.send({ json: { ...s.valid, [field]: 'x'.repeat(60_000) } }), field);
    const over = await s.send({ json: { ...s.valid, [field]: 'x'.repeat(LIMIT) } });
    expect(over.status).toBe(413);
    expect(over.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    // 64 KB is counted in bytes: 25 000 three-byte characters are over it.
    expect((await s.send({ json: { ...s.valid, [field]: '€'.repeat(25_000) } })).status).toBe(413);
  });

  it.each(NAMES)('%s answers 400 for bodies that are not a JSON object', async (name) => {
    const s = schema(name);
    for (const raw of ['', 'null', '[]', '1', '"text"', 'true', '{', '{"a":1,}', "{'a':1}", '\u0000']) {
      const res = await s.send({ raw });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION.FAILED');
    }
  });

  it.each(NAMES)('%s answers 400 for deeply nested values instead of recursing', async (name) => {
    const s = schema(name);
    const field = Object.keys(s.valid)[0]!;
    const depth = 20_000;
    // Appended last, so it is the value JSON.parse keeps for the field.
    const raw = JSON.stringify(s.valid).replace(/\}$/, `,"${field}":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    expect(raw.length).toBeLessThan(LIMIT);
    expect((await s.send({ raw })).status).toBe(400);
  });

  it('accepts unicode text in labels and names, and refuses control characters and lone surrogates', async () => {
    const create = schema('POST /api/connections');
    for (const label of ['Zürich 🚀 账户', 'مرحبا', 'e\u0301 combining', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢']) {
      const res = await create.send({ json: { exchangeId: 'paper', label, mode: 'paper' } });
      expect(res.status).toBe(201);
      expect(res.body.label).toBe(label);
    }
    for (const raw of ['{"exchangeId":"paper","label":"a\\ud800b","mode":"paper"}', '{"exchangeId":"paper","label":"a\\u0000b","mode":"paper"}', '{"exchangeId":"paper","label":"a\\u001bb","mode":"paper"}']) {
      expectFieldError(await create.send({ raw }), 'label');
    }
    const token = schema('POST /api/tokens');
    expect((await token.send({ json: { name: '🔑 nightly ✓', scopes: ['read'] } })).status).toBe(201);
  });

  it('refuses a body on the test route, which takes none', async () => {
    const other = await user.post<{ id: string }>('/api/connections', { body: { exchangeId: 'paper', label: 'test route target', mode: 'paper' } });
    const connectionId = other.body.id;
    const res = await user.post<ErrorBody>(`/api/connections/${connectionId}/test`, { body: { force: true } });
    expectFieldError(res, 'force');
    expect((await user.post(`/api/connections/${connectionId}/test`, { body: {} })).status).toBe(200);
    expect((await user.post(`/api/connections/${connectionId}/test`, { rawBody: 'x'.repeat(LIMIT + 1) })).status).toBe(413);
  });

  it.each(NAMES)('%s never answers 500 to 150 seeded random mutations', async (name) => {
    const s = schema(name);
    const rand = mulberry32(name.length * 7919);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const randomString = (): string => {
      const len = pick([0, 1, 5, 40, 300, 5000]);
      let out = '';
      for (let i = 0; i < len; i++) out += String.fromCodePoint(pick([0x41, 0x7a, 0x20, 0x0, 0x7f, 0xe9, 0x20ac, 0xd800, 0x1f680, Math.floor(rand() * 0x10ffff)]) % 0x110000);
      return out;
    };
    const randomValue = (depth = 0): unknown => {
      switch (pick(['null', 'num', 'str', 'bool', 'arr', 'obj', 'big'])) {
        case 'null': return null;
        case 'num': return pick([0, -1, 1e308, -1e-308, 2 ** 53 + 1, 0.1]);
        case 'str': return randomString();
        case 'bool': return rand() < 0.5;
        case 'arr': return depth > 2 ? [] : Array.from({ length: pick([0, 1, 3]) }, () => randomValue(depth + 1));
        case 'obj': return depth > 2 ? {} : { [randomString().slice(0, 10) || 'k']: randomValue(depth + 1) };
        default: return 'y'.repeat(pick([100, 10_000]));
      }
    };
    const statuses = new Map<number, number>();
    for (let i = 0; i < 150; i++) {
      const body: Record<string, unknown> = structuredClone(s.valid);
      const mutations = 1 + Math.floor(rand() * 3);
      for (let m = 0; m < mutations; m++) {
        const keys = Object.keys(body);
        const op = pick(['drop', 'replace', 'add', 'nested']);
        if (op === 'drop' && keys.length > 0) delete body[pick(keys)];
        else if (op === 'replace' && keys.length > 0) body[pick(keys)] = randomValue();
        else if (op === 'add') body[randomString().slice(0, 12) || 'extra'] = randomValue();
        else {
          const k = pick(keys.length > 0 ? keys : ['label']);
          if (typeof body[k] === 'object' && body[k] !== null && !Array.isArray(body[k])) (body[k] as Record<string, unknown>)[pick(['apiKey', 'secret', 'x', 'currency', 'amount'])] = randomValue();
        }
      }
      const res = await s.send({ json: body });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) throw new Error(`${name} answered ${res.status} to ${JSON.stringify(body).slice(0, 300)}: ${res.text}`);
      expect([200, 201, 400, 413]).toContain(res.status);
      if (res.status === 400) expect(res.body.error.code).toBe('VALIDATION.FAILED');
    }
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  });

  it('logged no unexpected error while being fuzzed', () => {
    expect(host.logs.filter((l) => l.includes('unexpected error'))).toEqual([]);
  });
});
