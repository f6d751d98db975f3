import { createRequestLog, redactSecrets } from '../../../../shared/http/log-redaction';

describe('redactSecrets', () => {
  it('removes registered values wherever they appear', () => {
    expect(redactSecrets('key=abcd1234 and again abcd1234!', ['abcd1234'])).toBe('key=[redacted] and again [redacted]!');
  });

  it('removes tokens, bearer values, signatures, exchange headers and private keys by pattern', () => {
    const token = `tt_${'a'.repeat(32)}_${'b'.repeat(24)}_${'c'.repeat(43)}`;
    const text = [
      `token ${token}`,
      'Authorization: Bearer xyz.abc',
      'GET https://api.binance.com/api/v3/account?timestamp=1&signature=deadbeef',
      '{"X-MBX-APIKEY":"KEYVALUE","APCA-API-SECRET-KEY":"SECRETVALUE","OK-ACCESS-PASSPHRASE":"PASSVALUE"}',
      '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----',
      '{"apiKey":"k1","secret":"s1","passphrase":"p1"}',
    ].join('\n');
    const out = redactSecrets(text);
    for (const leaked of [token, 'xyz.abc', 'deadbeef', 'KEYVALUE', 'SECRETVALUE', 'PASSVALUE', 'MHcCAQEEIB', '"k1"', '"s1"', '"p1"']) {
      expect(out).not.toContain(leaked);
    }
    expect(out).toContain('timestamp=1');
  });

  it('ignores values too short to be secrets rather than mangling every line', () => {
    expect(redactSecrets('a b c', ['a'])).toBe('a b c');
  });
});

describe('createRequestLog', () => {
  it('redacts every level with the secrets registered so far', () => {
    const lines: string[] = [];
    const sink = { debug: (m: string) => lines.push(m), info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const log = createRequestLog(sink);
    log.info('before s3cr3t-value');
    log.keepSecret('s3cr3t-value');
    log.keepSecret(undefined);
    log.warn('after s3cr3t-value');
    log.error('after s3cr3t-value');
    expect(lines).toEqual(['before s3cr3t-value', 'after [redacted]', 'after [redacted]']);
  });
});
