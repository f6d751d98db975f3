import {
  applyConnectionPatch,
  connectionIssues,
  keyHint,
  newConnectionRecord,
  toConnectionView,
  withTestResult,
  type ConnectionRecord,
} from '../../../../shared/domain/connection';

const TENANT = 'a'.repeat(32);
const NOW = 1_800_000_000_000;
const creds = { apiKey: 'APIKEY-0000-1234-abcd', secret: 'very-secret-value' };

function binanceLive(): ConnectionRecord {
  const r = newConnectionRecord(TENANT, 'c1', { exchangeId: 'binance', label: 'Main', mode: 'live', credentials: creds }, 'rev1', NOW);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('keyHint', () => {
  it('shows only the last 4 characters, and nothing of short keys', () => {
    expect(keyHint('APIKEY-0000-1234-abcd')).toBe('••••abcd');
    expect(keyHint('short-key')).toBe('••••');
  });
});

describe('connectionIssues', () => {
  it('accepts a paper connection without credentials and a binance one with key and secret', () => {
    expect(connectionIssues('paper', { mode: 'paper', credentials: undefined, paper: undefined })).toEqual([]);
    expect(connectionIssues('binance', { mode: 'sandbox', credentials: creds, paper: undefined })).toEqual([]);
  });

  it('names each field that breaks a rule of the catalog', () => {
    expect(connectionIssues('paper', { mode: 'live', credentials: creds, paper: undefined })).toEqual([
      { path: 'mode', message: 'Paper (simulated) supports mode paper, not live' },
      { path: 'credentials', message: 'Paper (simulated) takes no credentials' },
    ]);
    expect(connectionIssues('kraken', { mode: 'sandbox', credentials: undefined, paper: { startingBalance: { currency: 'USD', amount: 1 } } })).toEqual([
      { path: 'mode', message: 'Kraken supports mode live, not sandbox' },
      { path: 'paper', message: 'paper settings apply only to the paper exchange' },
      { path: 'credentials', message: 'Kraken needs credentials: apiKey, secret' },
    ]);
  });

  it('requires a passphrase exactly where the venue uses one', () => {
    expect(connectionIssues('okx', { mode: 'live', credentials: creds, paper: undefined })).toEqual([{ path: 'credentials.passphrase', message: 'OKX needs passphrase' }]);
    expect(connectionIssues('binance', { mode: 'live', credentials: { ...creds, passphrase: 'pp' }, paper: undefined })).toEqual([
      { path: 'credentials.passphrase', message: 'Binance does not use passphrase' },
    ]);
  });
});

describe('newConnectionRecord', () => {
  it('keeps no secret, only a key hint and the credentials revision', () => {
    const record = binanceLive();
    expect(JSON.stringify(record)).not.toContain(creds.secret);
    expect(JSON.stringify(record)).not.toContain(creds.apiKey);
    expect(record).toMatchObject({ keyHint: '••••abcd', credentialsRevision: 'rev1', paper: null, lastTest: null, createdAtMs: NOW });
  });

  it('gives a paper connection the default starting balance and no credentials revision', () => {
    const r = newConnectionRecord(TENANT, 'p1', { exchangeId: 'paper', label: 'Sim', mode: 'paper' }, 'ignored', NOW);
    expect(r.ok && r.value).toMatchObject({ credentialsRevision: null, keyHint: null, paper: { startingBalance: { currency: 'USD', amount: 10_000 } } });
  });

  it('returns VALIDATION.FAILED with field details for an invalid combination', () => {
    const r = newConnectionRecord(TENANT, 'x', { exchangeId: 'coinbase', label: 'CB', mode: 'sandbox', credentials: creds }, 'r', NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'VALIDATION.FAILED', details: [{ path: 'mode' }] });
  });
});

describe('applyConnectionPatch', () => {
  const tested = withTestResult(binanceLive(), {
    status: 'passed',
    code: 'CONNECTION.TEST_PASSED',
    message: 'ok',
    checkedAtMs: NOW,
    withdrawalPermission: 'absent',
    nonZeroBalances: 2,
  });

  it('keeps the test result when only the label changes', () => {
    const r = applyConnectionPatch(tested, { label: 'Renamed' }, null, NOW + 1);
    expect(r.ok && r.value).toMatchObject({ label: 'Renamed', lastTest: { status: 'passed' }, credentialsRevision: 'rev1', updatedAtMs: NOW + 1 });
  });

  it('drops the test result and switches revision when credentials change', () => {
    const r = applyConnectionPatch(tested, { credentials: { apiKey: 'NEWKEY-999999-wxyz', secret: 's2' } }, 'rev2', NOW + 1);
    expect(r.ok && r.value).toMatchObject({ keyHint: '••••wxyz', credentialsRevision: 'rev2', lastTest: null });
  });

  it('drops the test result when the mode changes', () => {
    const r = applyConnectionPatch(tested, { mode: 'sandbox' }, null, NOW + 1);
    expect(r.ok && r.value).toMatchObject({ mode: 'sandbox', lastTest: null });
  });

  it('refuses a mode the venue does not offer', () => {
    const r = applyConnectionPatch(tested, { mode: 'paper' }, null, NOW + 1);
    expect(!r.ok && r.error.code).toBe('VALIDATION.FAILED');
  });
});

describe('toConnectionView', () => {
  it('lists exactly the public fields, even when the record carries more', () => {
    const record = { ...binanceLive(), internalNote: 'x' } as ConnectionRecord;
    expect(Object.keys(toConnectionView(record, '"e1"')).sort()).toEqual(
      ['createdAtMs', 'etag', 'exchangeId', 'hasCredentials', 'id', 'keyHint', 'label', 'lastTest', 'mode', 'paper', 'updatedAtMs'].sort(),
    );
  });
});
