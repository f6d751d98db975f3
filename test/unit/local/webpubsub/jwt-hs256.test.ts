import { signHs256Jwt, verifyHs256Jwt, JWT_ERROR } from '../../../../local/webpubsub/jwt-hs256';

const KEY = 'local-access-key';
const NOW_MS = Date.UTC(2026, 0, 1);
const nowS = NOW_MS / 1000;

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('verifyHs256Jwt', () => {
  it('accepts a token signed with the key before it expires and returns its claims', () => {
    const token = signHs256Jwt({ aud: 'x', sub: 'u1', exp: nowS + 60 }, KEY);
    const result = verifyHs256Jwt(token, KEY, NOW_MS);
    expect(result).toEqual({ ok: true, value: { aud: 'x', sub: 'u1', exp: nowS + 60 } });
  });

  it('rejects a token signed with another key', () => {
    const token = signHs256Jwt({ exp: nowS + 60 }, 'another-key');
    expect(verifyHs256Jwt(token, KEY, NOW_MS)).toMatchObject({ ok: false, error: { code: JWT_ERROR.SIGNATURE } });
  });

  it('rejects a token whose payload was changed after signing', () => {
    const [head, , sig] = signHs256Jwt({ sub: 'user', exp: nowS + 60 }, KEY).split('.');
    const tampered = `${head}.${b64({ sub: 'admin', exp: nowS + 60 })}.${sig}`;
    expect(verifyHs256Jwt(tampered, KEY, NOW_MS)).toMatchObject({ ok: false, error: { code: JWT_ERROR.SIGNATURE } });
  });

  it('rejects an expired token and one without exp', () => {
    expect(verifyHs256Jwt(signHs256Jwt({ exp: nowS - 1 }, KEY), KEY, NOW_MS)).toMatchObject({ ok: false, error: { code: JWT_ERROR.EXPIRED } });
    expect(verifyHs256Jwt(signHs256Jwt({ exp: nowS }, KEY), KEY, NOW_MS)).toMatchObject({ ok: false, error: { code: JWT_ERROR.EXPIRED } });
    expect(verifyHs256Jwt(signHs256Jwt({ sub: 'u' }, KEY), KEY, NOW_MS)).toMatchObject({ ok: false, error: { code: JWT_ERROR.MALFORMED } });
  });

  it('rejects a token that is not valid yet', () => {
    const token = signHs256Jwt({ nbf: nowS + 30, exp: nowS + 60 }, KEY);
    expect(verifyHs256Jwt(token, KEY, NOW_MS)).toMatchObject({ ok: false, error: { code: JWT_ERROR.NOT_YET_VALID } });
    expect(verifyHs256Jwt(token, KEY, NOW_MS, 30_000).ok).toBe(true);
  });

  it('rejects other algorithms, including an unsigned "none" token', () => {
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ exp: nowS + 60 })}.`;
    expect(verifyHs256Jwt(none, KEY, NOW_MS)).toMatchObject({ ok: false, error: { code: JWT_ERROR.ALGORITHM } });
  });

  it('rejects malformed tokens', () => {
    for (const bad of ['', 'a.b', 'a.b.c.d', `${b64('str')}.${b64({})}.x`, 'not-json.x.y']) {
      expect(verifyHs256Jwt(bad, KEY, NOW_MS)).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^WPS\.JWT_/) } });
    }
  });
});
