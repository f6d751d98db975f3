import { encodeClientPrincipal, parseClientPrincipal, tenantIdFor, type ClientPrincipal } from '../../../../shared/auth/client-principal';

const alice: ClientPrincipal = { identityProvider: 'aad', userId: 'u-alice', userDetails: 'alice@example.com', userRoles: ['anonymous', 'authenticated'] };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

describe('parseClientPrincipal', () => {
  it('decodes the base64 JSON principal that Static Web Apps injects', () => {
    const parsed = parseClientPrincipal(encodeClientPrincipal(alice));
    expect(parsed).toEqual({ ok: true, value: alice });
  });

  it('answers AUTH.REQUIRED when the header is absent or empty', () => {
    for (const header of [null, undefined, '']) {
      const parsed = parseClientPrincipal(header);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error.code).toBe('AUTH.REQUIRED');
    }
  });

  it.each([
    ['not base64', '%%%not-base64%%%'],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64')],
    ['JSON that is not an object', b64('just a string')],
    ['missing userId', b64({ identityProvider: 'aad', userRoles: ['authenticated'] })],
    ['empty userId', b64({ identityProvider: 'aad', userId: '  ', userRoles: ['authenticated'] })],
    ['userId of the wrong type', b64({ identityProvider: 'aad', userId: 42, userRoles: ['authenticated'] })],
    ['roles not an array', b64({ identityProvider: 'aad', userId: 'u', userRoles: 'authenticated' })],
    ['an anonymous visitor', b64({ identityProvider: 'aad', userId: 'u', userRoles: ['anonymous'] })],
    ['no roles at all', b64({ identityProvider: 'aad', userId: 'u' })],
    ['an oversized header', 'A'.repeat(20_000)],
  ])('refuses %s with AUTH.INVALID_PRINCIPAL', (_name, header) => {
    const parsed = parseClientPrincipal(header);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.code).toBe('AUTH.INVALID_PRINCIPAL');
  });
});

describe('tenantIdFor', () => {
  it('is stable, 32 lowercase hex characters', () => {
    expect(tenantIdFor(alice)).toBe(tenantIdFor({ identityProvider: 'aad', userId: 'u-alice' }));
    expect(tenantIdFor(alice)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('differs by user id and by provider, and ignores the provider spelling', () => {
    expect(tenantIdFor(alice)).not.toBe(tenantIdFor({ ...alice, userId: 'u-bob' }));
    expect(tenantIdFor(alice)).not.toBe(tenantIdFor({ ...alice, identityProvider: 'google' }));
    expect(tenantIdFor(alice)).toBe(tenantIdFor({ ...alice, identityProvider: 'AAD' }));
  });

  it('cannot be steered by a user id that embeds a separator', () => {
    expect(tenantIdFor({ identityProvider: 'aad', userId: 'x\ngoogle' })).not.toBe(tenantIdFor({ identityProvider: 'aad\nx', userId: 'google' }));
  });
});
