import { createHmac } from 'node:crypto';
import { checkAlertAge, parseSignatureHeader, passphraseMatches, sha256Hex, signBody, verifySignature } from '../../../../shared/signals/signal-auth.js';

const KEY = 'whsec_test-key';
const BODY = Buffer.from('{"action":"buy","ticker":"BTCUSDT"}');
const NOW = 1_705_329_000_000;
const T = NOW / 1000;

describe('passphraseMatches', () => {
  it('accepts the passphrase whose hash is stored and nothing else', () => {
    const stored = sha256Hex('ttp_correct');
    expect(passphraseMatches('ttp_correct', stored)).toBe(true);
    expect(passphraseMatches('ttp_correcT', stored)).toBe(false);
    expect(passphraseMatches('', stored)).toBe(false);
    expect(passphraseMatches('ttp_correct', 'not-hex')).toBe(false);
  });
});

describe('verifySignature', () => {
  it('accepts t=<unix>,v1=<hex HMAC-SHA256 of "t.body"> as a sender computes it', () => {
    const v1 = createHmac('sha256', KEY).update(`${T}.${BODY.toString()}`).digest('hex');
    expect(verifySignature(`t=${T},v1=${v1}`, BODY, KEY, NOW)).toEqual({ ok: true, value: undefined });
    expect(signBody(KEY, T, BODY)).toBe(`t=${T},v1=${v1}`);
  });

  it('accepts any matching v1 among several and tolerates spaces', () => {
    const good = signBody(KEY, T, BODY).split('v1=')[1]!;
    expect(verifySignature(`t=${T}, v1=${'0'.repeat(64)}, v1=${good}`, BODY, KEY, NOW).ok).toBe(true);
  });

  it('refuses a signature made with another key, over another body or another time', () => {
    const other = signBody('whsec_other', T, BODY);
    expect(verifySignature(other, BODY, KEY, NOW)).toMatchObject({ ok: false, error: { code: 'SIGNAL.UNAUTHENTICATED' } });
    expect(verifySignature(signBody(KEY, T, BODY), Buffer.from(`${BODY.toString()} `), KEY, NOW)).toMatchObject({ ok: false, error: { code: 'SIGNAL.UNAUTHENTICATED' } });
    const moved = signBody(KEY, T, BODY).replace(`t=${T}`, `t=${T + 1}`);
    expect(verifySignature(moved, BODY, KEY, NOW)).toMatchObject({ ok: false, error: { code: 'SIGNAL.UNAUTHENTICATED' } });
  });

  it('refuses a correct signature outside the 5-minute window, either way', () => {
    expect(verifySignature(signBody(KEY, T - 301, BODY), BODY, KEY, NOW)).toMatchObject({ ok: false, error: { code: 'SIGNAL.STALE' } });
    expect(verifySignature(signBody(KEY, T + 301, BODY), BODY, KEY, NOW)).toMatchObject({ ok: false, error: { code: 'SIGNAL.STALE' } });
    expect(verifySignature(signBody(KEY, T - 299, BODY), BODY, KEY, NOW).ok).toBe(true);
  });

  it.each(['', 'v1=abc', `t=${T}`, `t=abc,v1=${'0'.repeat(64)}`, `t=${T},v1=${'z'.repeat(64)}`, 'x'.repeat(2000)])('refuses the malformed header %j', (header) => {
    expect(parseSignatureHeader(header).ok).toBe(false);
    expect(verifySignature(header, BODY, KEY, NOW)).toMatchObject({ ok: false, error: { code: 'SIGNAL.UNAUTHENTICATED' } });
  });
});

describe('checkAlertAge', () => {
  it('passes alerts without a timestamp', () => {
    expect(checkAlertAge(null, null, NOW).ok).toBe(true);
  });

  it('refuses alerts older than max_lag, or than 300 s without one', () => {
    expect(checkAlertAge(NOW - 61_000, 60, NOW)).toMatchObject({ ok: false, error: { code: 'SIGNAL.STALE' } });
    expect(checkAlertAge(NOW - 59_000, 60, NOW).ok).toBe(true);
    expect(checkAlertAge(NOW - 301_000, null, NOW)).toMatchObject({ ok: false, error: { code: 'SIGNAL.STALE' } });
    expect(checkAlertAge(NOW - 299_000, null, NOW).ok).toBe(true);
  });

  it('refuses timestamps more than a minute in the future', () => {
    expect(checkAlertAge(NOW + 61_000, 600, NOW)).toMatchObject({ ok: false, error: { code: 'SIGNAL.STALE' } });
    expect(checkAlertAge(NOW + 30_000, 600, NOW).ok).toBe(true);
  });
});
