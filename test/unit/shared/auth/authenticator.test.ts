import { issueApiToken } from '../../../../shared/auth/api-token-codec';
import { createAuthenticator } from '../../../../shared/auth/authenticator';
import { encodeClientPrincipal, tenantIdFor } from '../../../../shared/auth/client-principal';
import { newApiTokenRecord, type ApiTokenRecord } from '../../../../shared/domain/api-token';

const principal = { identityProvider: 'google', userId: 'g-123', userDetails: 'Alice', userRoles: ['anonymous', 'authenticated'] };
const TENANT = tenantIdFor(principal);
const OTHER = tenantIdFor({ identityProvider: 'google', userId: 'g-456' });
const NOW = 1_800_000_000_000;

function headers(values: Record<string, string>) {
  return { get: (name: string) => values[name.toLowerCase()] ?? null };
}

function setup(records: ApiTokenRecord[], nowMs = NOW) {
  const lookups: string[] = [];
  const auth = createAuthenticator({
    findToken: (tenantId, id) => {
      lookups.push(`${tenantId}/${id}`);
      return Promise.resolve(records.find((r) => r.tenantId === tenantId && r.id === id));
    },
    nowMs: () => nowMs,
  });
  return { auth, lookups };
}

function token(tenantId: string, scopes: ('read' | 'trade')[] = ['read'], lifetimeDays = 30) {
  const issued = issueApiToken(tenantId);
  const record = newApiTokenRecord({ id: issued.tokenId, tenantId, name: 'script', scopes, tokenHash: issued.tokenHash, lifetimeDays }, NOW - 1000);
  return { issued, record };
}

describe('createAuthenticator', () => {
  it('derives the tenant from the principal and grants a signed-in user every scope', async () => {
    const { auth } = setup([]);
    const result = await auth(headers({ 'x-ms-client-principal': encodeClientPrincipal(principal) }));
    expect(result).toEqual({
      ok: true,
      value: { tenantId: TENANT, via: 'principal', displayName: 'Alice', identityProvider: 'google', roles: ['anonymous', 'authenticated'], scopes: ['read', 'trade'], tokenId: null },
    });
  });

  it('answers AUTH.REQUIRED without any credentials', async () => {
    const result = await setup([]).auth(headers({}));
    expect(!result.ok && result.error.code).toBe('AUTH.REQUIRED');
  });

  it('accepts a valid bearer token as its tenant with its scopes only', async () => {
    const t = token(TENANT, ['read']);
    const { auth, lookups } = setup([t.record]);
    const result = await auth(headers({ authorization: `Bearer ${t.issued.token}` }));
    expect(result.ok && result.value).toMatchObject({ tenantId: TENANT, via: 'token', scopes: ['read'], tokenId: t.record.id });
    expect(lookups).toEqual([`${TENANT}/${t.record.id}`]);
  });

  it('refuses an expired token with AUTH.TOKEN_EXPIRED', async () => {
    const t = token(TENANT, ['read'], 1);
    const result = await setup([t.record], t.record.expiresAtMs).auth(headers({ authorization: `Bearer ${t.issued.token}` }));
    expect(!result.ok && result.error.code).toBe('AUTH.TOKEN_EXPIRED');
  });

  it('refuses a revoked (unknown) token and a token whose secret does not match', async () => {
    const t = token(TENANT);
    const other = token(TENANT);
    const { auth } = setup([{ ...t.record, tokenHash: other.issued.tokenHash }]);
    for (const value of [`Bearer ${t.issued.token}`, `Bearer ${other.issued.token}`]) {
      const result = await auth(headers({ authorization: value }));
      expect(!result.ok && result.error.code).toBe('AUTH.INVALID_TOKEN');
    }
  });

  it('refuses a token rewritten to name another tenant', async () => {
    const t = token(TENANT);
    const forged = t.issued.token.replace(TENANT, OTHER);
    const result = await setup([t.record, { ...t.record, tenantId: OTHER }]).auth(headers({ authorization: `Bearer ${forged}` }));
    expect(!result.ok && result.error.code).toBe('AUTH.INVALID_TOKEN');
  });

  it('does not fall back to the principal when a token is presented but invalid', async () => {
    const { auth } = setup([]);
    const forged = `tt_${TENANT}_${'0'.repeat(24)}_${'x'.repeat(43)}`;
    const attempts: Record<string, string>[] = [{ authorization: `Bearer ${forged}` }, { authorization: 'Bearer tt_short' }, { 'x-tt-token': 'nope' }, { 'x-tt-token': forged }];
    for (const extra of attempts) {
      const result = await auth(headers({ ...extra, 'x-ms-client-principal': encodeClientPrincipal(principal) }));
      expect(!result.ok && result.error.code).toBe('AUTH.INVALID_TOKEN');
    }
  });

  it('accepts the token in X-TT-Token, the header Static Web Apps passes through', async () => {
    const t = token(TENANT, ['read', 'trade']);
    const result = await setup([t.record]).auth(headers({ 'x-tt-token': t.issued.token, authorization: 'Bearer eyJ-platform-injected' }));
    expect(result.ok && result.value).toMatchObject({ tenantId: TENANT, via: 'token', scopes: ['read', 'trade'] });
  });

  it('ignores an Authorization header that is not a tt_ token (SWA injects its own)', async () => {
    const { auth, lookups } = setup([]);
    const withPrincipal = await auth(headers({ authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.platform', 'x-ms-client-principal': encodeClientPrincipal(principal) }));
    expect(withPrincipal.ok && withPrincipal.value.via).toBe('principal');
    const without = await auth(headers({ authorization: 'Basic dXNlcjpwYXNz' }));
    expect(!without.ok && without.error.code).toBe('AUTH.REQUIRED');
    expect(lookups).toEqual([]);
  });
});
