import { createConnectionBodySchema, patchConnectionBodySchema } from '../../../../shared/schemas/connection-schemas';
import { createTokenBodySchema } from '../../../../shared/schemas/token-schemas';
import { listQuerySchema } from '../../../../shared/schemas/paging-schemas';

const valid = { exchangeId: 'binance', label: 'Main', mode: 'live', credentials: { apiKey: 'KEY-1234567890', secret: 'SECRET' } };
const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => (r.error?.issues ?? []).map((i) => i.path.join('.'));

describe('createConnectionBodySchema', () => {
  it('accepts a valid body and trims the label', () => {
    const r = createConnectionBodySchema.safeParse({ ...valid, label: '  Main 🚀 Konto  ' });
    expect(r.success && r.data.label).toBe('Main 🚀 Konto');
  });

  it('refuses unknown keys, including inside credentials', () => {
    expect(paths(createConnectionBodySchema.safeParse({ ...valid, tenantId: 'x' }))).toEqual(['']);
    expect(paths(createConnectionBodySchema.safeParse({ ...valid, credentials: { ...valid.credentials, extra: 1 } }))).toEqual(['credentials']);
  });

  it('applies the catalog rules after field validation', () => {
    expect(paths(createConnectionBodySchema.safeParse({ ...valid, exchangeId: 'okx' }))).toEqual(['credentials.passphrase']);
    expect(paths(createConnectionBodySchema.safeParse({ exchangeId: 'paper', label: 'p', mode: 'paper', credentials: valid.credentials }))).toEqual(['credentials']);
  });

  it.each([
    ['a null label', { ...valid, label: null }, 'label'],
    ['an empty label', { ...valid, label: '   ' }, 'label'],
    ['a label with control characters', { ...valid, label: 'a\u0000b' }, 'label'],
    ['a lone surrogate', { ...valid, label: 'a\uD800b' }, 'label'],
    ['a huge label', { ...valid, label: 'x'.repeat(101) }, 'label'],
    ['an unknown exchange', { ...valid, exchangeId: 'mtgox' }, 'exchangeId'],
    ['a numeric mode', { ...valid, mode: 3 }, 'mode'],
    ['an api key with spaces', { ...valid, credentials: { apiKey: 'a b', secret: 's' } }, 'credentials.apiKey'],
    ['a non-ASCII secret', { ...valid, credentials: { apiKey: 'k', secret: 'sé' } }, 'credentials.secret'],
    ['a negative paper balance', { exchangeId: 'paper', label: 'p', mode: 'paper', paper: { startingBalance: { currency: 'USD', amount: -1 } } }, 'paper.startingBalance.amount'],
    ['a lowercase currency', { exchangeId: 'paper', label: 'p', mode: 'paper', paper: { startingBalance: { currency: 'usd', amount: 1 } } }, 'paper.startingBalance.currency'],
  ])('refuses %s at its field', (_name, body, path) => {
    expect(paths(createConnectionBodySchema.safeParse(body))).toContain(path);
  });

  it('accepts a PEM secret across lines', () => {
    const pem = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n';
    expect(createConnectionBodySchema.safeParse({ exchangeId: 'coinbase', label: 'cb', mode: 'live', credentials: { apiKey: 'organizations/x/apiKeys/y', secret: pem } }).success).toBe(true);
  });
});

describe('patchConnectionBodySchema', () => {
  it('needs at least one change and refuses changing the exchange', () => {
    expect(patchConnectionBodySchema.safeParse({}).success).toBe(false);
    const r = patchConnectionBodySchema.safeParse({ exchangeId: 'kraken' });
    expect(r.error?.issues.map((i) => i.code).sort()).toEqual(['custom', 'unrecognized_keys']);
    expect(patchConnectionBodySchema.safeParse({ label: 'x' }).success).toBe(true);
  });
});

describe('createTokenBodySchema', () => {
  it('defaults the lifetime and refuses repeated or unknown scopes', () => {
    const r = createTokenBodySchema.safeParse({ name: 'ci', scopes: ['read'] });
    expect(r.success && r.data.expiresInDays).toBe(30);
    expect(paths(createTokenBodySchema.safeParse({ name: 'ci', scopes: ['read', 'read'] }))).toEqual(['scopes']);
    expect(paths(createTokenBodySchema.safeParse({ name: 'ci', scopes: ['admin'] }))).toEqual(['scopes.0']);
    expect(paths(createTokenBodySchema.safeParse({ name: 'ci', scopes: [], expiresInDays: 1000 }))).toEqual(['scopes', 'expiresInDays']);
  });
});

describe('listQuerySchema', () => {
  it('coerces the limit from the query string and bounds it', () => {
    expect(listQuerySchema.parse({ limit: '10' })).toEqual({ limit: 10 });
    expect(listQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(listQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(listQuerySchema.safeParse({ limit: 'abc' }).success).toBe(false);
    expect(listQuerySchema.safeParse({ continuation: 'a b' }).success).toBe(false);
    expect(listQuerySchema.safeParse({ other: '1' }).success).toBe(false);
  });
});
