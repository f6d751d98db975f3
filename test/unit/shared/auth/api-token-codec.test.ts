import { hashApiToken, issueApiToken, parseApiToken, tokenMatchesHash } from '../../../../shared/auth/api-token-codec';

const TENANT = '0123456789abcdef0123456789abcdef';

describe('api token codec', () => {
  it('issues tt_ tokens that name their tenant and id and match their hash', () => {
    const issued = issueApiToken(TENANT);
    expect(issued.token).toMatch(/^tt_/);
    expect(parseApiToken(issued.token)).toEqual({ tenantId: TENANT, tokenId: issued.tokenId });
    expect(issued.tokenHash).toBe(hashApiToken(issued.token));
    expect(tokenMatchesHash(issued.token, issued.tokenHash)).toBe(true);
  });

  it('never issues the same token or id twice', () => {
    const tokens = Array.from({ length: 200 }, () => issueApiToken(TENANT));
    expect(new Set(tokens.map((t) => t.token)).size).toBe(200);
    expect(new Set(tokens.map((t) => t.tokenId)).size).toBe(200);
  });

  it('rejects a token whose secret part was changed', () => {
    const issued = issueApiToken(TENANT);
    const last = issued.token.slice(-1);
    const altered = issued.token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
    expect(parseApiToken(altered)).toEqual(parseApiToken(issued.token));
    expect(tokenMatchesHash(altered, issued.tokenHash)).toBe(false);
  });

  it('does not parse strings of another shape', () => {
    for (const s of ['', 'tt_', `tt_${TENANT}`, `xx_${TENANT}_0123456789abcdef01234567_${'a'.repeat(43)}`, `tt_${TENANT.toUpperCase()}_0123456789abcdef01234567_${'a'.repeat(43)}`]) {
      expect(parseApiToken(s)).toBeUndefined();
    }
  });

  it('treats a malformed stored hash as no match', () => {
    const issued = issueApiToken(TENANT);
    expect(tokenMatchesHash(issued.token, 'abc')).toBe(false);
    expect(tokenMatchesHash(issued.token, '')).toBe(false);
  });
});
