import { hasScope, isTokenExpired, newApiTokenRecord, toApiTokenView } from '../../../../shared/domain/api-token';

const NOW = 1_800_000_000_000;
const DAY = 86_400_000;

describe('api token records', () => {
  const record = newApiTokenRecord({ id: 't1', tenantId: 'a'.repeat(32), name: 'ci', scopes: ['trade', 'read'], tokenHash: 'h'.repeat(64), lifetimeDays: 7 }, NOW);

  it('expires after the lifetime in days and orders scopes canonically', () => {
    expect(record.expiresAtMs).toBe(NOW + 7 * DAY);
    expect(record.scopes).toEqual(['read', 'trade']);
    expect(isTokenExpired(record, NOW + 7 * DAY - 1)).toBe(false);
    expect(isTokenExpired(record, NOW + 7 * DAY)).toBe(true);
  });

  it('views never include the hash', () => {
    const view = toApiTokenView(record, NOW);
    expect(view).toEqual({ id: 't1', name: 'ci', scopes: ['read', 'trade'], createdAtMs: NOW, expiresAtMs: NOW + 7 * DAY, expired: false });
    expect(JSON.stringify(view)).not.toContain('hhhh');
  });

  it('checks scopes by membership', () => {
    expect(hasScope(['read'], 'read')).toBe(true);
    expect(hasScope(['read'], 'trade')).toBe(false);
  });
});
