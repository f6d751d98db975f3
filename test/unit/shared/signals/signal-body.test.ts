import { bodySecret, decodeSignalBody, nestingDepth, payloadWithoutSecret, signalMediaType } from '../../../../shared/signals/signal-body.js';

const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

describe('signalMediaType', () => {
  it('accepts JSON and plain text in UTF-8 (TradingView sends either)', () => {
    expect(signalMediaType('application/json')).toEqual({ ok: true, value: 'json' });
    expect(signalMediaType('application/json; charset=utf-8')).toEqual({ ok: true, value: 'json' });
    expect(signalMediaType('application/vnd.alert+json')).toEqual({ ok: true, value: 'json' });
    expect(signalMediaType('text/plain; charset=UTF-8')).toEqual({ ok: true, value: 'text' });
  });

  it.each([null, '', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/html', 'text/plain; charset=latin1', 'application/jsonp'])('refuses %j with 415', (type) => {
    const result = signalMediaType(type);
    expect(!result.ok && result.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('decodeSignalBody', () => {
  it('decodes JSON, and JSON sent as text/plain', () => {
    expect(decodeSignalBody(bytes('{"action":"buy"}'), 'json')).toMatchObject({ ok: true, value: { kind: 'json', value: { action: 'buy' } } });
    expect(decodeSignalBody(bytes(' {"action":"buy"}\n'), 'text')).toMatchObject({ ok: true, value: { kind: 'json', value: { action: 'buy' } } });
  });

  it('keeps plain text as text', () => {
    expect(decodeSignalBody(bytes('buy BTCUSDT 1\n'), 'text')).toEqual({ ok: true, value: { kind: 'text', text: 'buy BTCUSDT 1' } });
  });

  it('strips a UTF-8 byte order mark', () => {
    expect(decodeSignalBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('{"a":1}')]), 'json')).toMatchObject({ ok: true, value: { value: { a: 1 } } });
  });

  it.each([
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'must be UTF-8 text'],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf]), 'must be UTF-8 text'],
    ['an encoded surrogate', Buffer.from([0xed, 0xa0, 0x80]), 'must be UTF-8 text'],
    ['broken JSON', bytes('{"action":'), 'must be valid JSON'],
    ['an empty body', bytes('  '), 'is empty'],
    ['deep nesting', bytes(`${'['.repeat(5000)}${']'.repeat(5000)}`), 'nests deeper than 3 levels'],
    ['deep objects', bytes('{"a":{"b":{"c":{"d":1}}}}'), 'nests deeper than 3 levels'],
  ])('refuses %s with a 400 field error on the body', (_label, body, message) => {
    const result = decodeSignalBody(body, 'json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION.FAILED');
    expect((result.error.details as { message: string }[])[0]!.message).toContain(message);
  });
});

describe('nestingDepth', () => {
  it('ignores brackets inside strings, including escaped quotes', () => {
    expect(nestingDepth('{"a":"[[[[{{{{","b":"\\"[[[["}')).toBe(1);
    expect(nestingDepth('{"order":{"amount":1}}')).toBe(2);
  });
});

describe('bodySecret and payloadWithoutSecret', () => {
  it('finds the passphrase in JSON and plain text and removes it from the logged copy', () => {
    const json = decodeSignalBody(bytes('{"action":"buy","secret":"ttp_abc"}'), 'json');
    const text = decodeSignalBody(bytes('buy BTCUSDT 1 secret=ttp_abc'), 'text');
    if (!json.ok || !text.ok) throw new Error('decode failed');
    expect(bodySecret(json.value)).toBe('ttp_abc');
    expect(bodySecret(text.value)).toBe('ttp_abc');
    expect(JSON.stringify(payloadWithoutSecret(json.value))).not.toContain('ttp_abc');
    expect(JSON.stringify(payloadWithoutSecret(text.value))).not.toContain('ttp_abc');
    expect(payloadWithoutSecret(json.value)).toEqual({ kind: 'json', value: { action: 'buy' } });
  });

  it('answers null without a usable secret', () => {
    const numeric = decodeSignalBody(bytes('{"action":"buy","secret":42}'), 'json');
    const none = decodeSignalBody(bytes('buy BTCUSDT'), 'text');
    if (!numeric.ok || !none.ok) throw new Error('decode failed');
    expect(bodySecret(numeric.value)).toBeNull();
    expect(bodySecret(none.value)).toBeNull();
  });
});
