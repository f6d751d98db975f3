import * as nodeModule from 'node:module';
import type { CcxtModule } from '../../../../../shared/adapters/exchanges/ccxt-venues';
import { createConnectionTester, type ConnectionTestInput } from '../../../../../shared/adapters/exchanges/connection-tester';
import { parseApiOverrides, rewriteApiOrigins } from '../../../../../shared/adapters/exchanges/api-url-override';
import { startExchangeMock, type ExchangeMock } from '../../../../support/exchange-mock';

const NOW = 1_800_000_000_000;
// Jest's module loader cannot require ccxt's ESM dependencies (@noble/*); Node's own loader (20.19+
// supports require(esm)) can, and Module._load is that loader, outside Jest's registry.
const nodeLoader = (nodeModule as unknown as { Module: { _load(request: string, parent: null, isMain: boolean): unknown } }).Module;
const loadCcxt = () => Promise.resolve(nodeLoader._load(require.resolve('ccxt'), null, false) as CcxtModule);

describe('createConnectionTester against a local exchange mock', () => {
  let mock: ExchangeMock;
  const warnings: string[] = [];
  const log = { warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
  let tester: ReturnType<typeof createConnectionTester>;

  beforeAll(async () => {
    mock = await startExchangeMock({
      'binance-trade-only-key': { secret: 'binance-secret-1', canWithdraw: false },
      'binance-withdraw-key': { secret: 'binance-secret-2', canWithdraw: true },
      'okx-trade-only-key': { secret: 'okx-secret-1', passphrase: 'okx-pass-1', canWithdraw: false },
      'okx-withdraw-key': { secret: 'okx-secret-2', passphrase: 'okx-pass-2', canWithdraw: true },
      'alpaca-key-0001': { secret: 'alpaca-secret', canWithdraw: false },
      'kraken-key-0001': { secret: Buffer.from('kraken-secret').toString('base64'), canWithdraw: false },
    });
    const origin = mock.origin;
    tester = createConnectionTester({ loadCcxt, nowMs: () => NOW, apiOverrides: { binance: origin, okx: origin, alpaca: origin, kraken: origin }, timeoutMs: 5000 });
  });
  afterAll(() => mock.stop());
  beforeEach(() => {
    mock.requests.length = 0;
    warnings.length = 0;
  });

  const input = (exchangeId: ConnectionTestInput['exchangeId'], mode: ConnectionTestInput['mode'], apiKey: string, secret: string, passphrase?: string): ConnectionTestInput => ({
    exchangeId,
    mode,
    credentials: passphrase ? { apiKey, secret, passphrase } : { apiKey, secret },
    paper: null,
  });

  it('passes a live binance key without withdrawal rights after a signed balance fetch', async () => {
    const result = await tester.test(input('binance', 'live', 'binance-trade-only-key', 'binance-secret-1'), log);
    expect(result).toEqual({ status: 'passed', code: 'CONNECTION.TEST_PASSED', message: expect.any(String), checkedAtMs: NOW, withdrawalPermission: 'absent', nonZeroBalances: 2 });
    expect(mock.requests.map((r) => [r.path, r.authenticated])).toEqual([
      ['/api/v3/account', true],
      ['/sapi/v1/account/apiRestrictions', true],
    ]);
  });

  it('refuses a live binance key that can withdraw', async () => {
    const result = await tester.test(input('binance', 'live', 'binance-withdraw-key', 'binance-secret-2'), log);
    expect(result).toMatchObject({ status: 'failed', code: 'EXCHANGE.WITHDRAWAL_ENABLED', withdrawalPermission: 'present' });
  });

  it('does not ask sandbox keys for their permissions', async () => {
    const result = await tester.test(input('binance', 'sandbox', 'binance-withdraw-key', 'binance-secret-2'), log);
    expect(result).toMatchObject({ status: 'passed', withdrawalPermission: 'not-reported' });
    expect(mock.requests.map((r) => r.path)).toEqual(['/api/v3/account']);
  });

  it('reports rejected credentials as EXCHANGE.AUTH_FAILED and logs the exchange error without the secret', async () => {
    const result = await tester.test(input('binance', 'live', 'binance-trade-only-key', 'wrong-secret-value'), log);
    expect(result).toMatchObject({ status: 'failed', code: 'EXCHANGE.AUTH_FAILED', nonZeroBalances: null });
    expect(result.message).not.toContain('Invalid API-key');
    expect(warnings.join('\n')).toContain('AuthenticationError');
  });

  it('checks okx passphrase keys and their withdraw permission', async () => {
    expect(await tester.test(input('okx', 'live', 'okx-trade-only-key', 'okx-secret-1', 'okx-pass-1'), log)).toMatchObject({ status: 'passed', withdrawalPermission: 'absent', nonZeroBalances: 1 });
    expect(await tester.test(input('okx', 'live', 'okx-withdraw-key', 'okx-secret-2', 'okx-pass-2'), log)).toMatchObject({ status: 'failed', code: 'EXCHANGE.WITHDRAWAL_ENABLED' });
    expect(await tester.test(input('okx', 'live', 'okx-trade-only-key', 'okx-secret-1', 'wrong-pass'), log)).toMatchObject({ status: 'failed', code: 'EXCHANGE.AUTH_FAILED' });
  });

  it('passes alpaca (broker keys cannot withdraw) and kraken (permissions not reported)', async () => {
    expect(await tester.test(input('alpaca', 'live', 'alpaca-key-0001', 'alpaca-secret'), log)).toMatchObject({ status: 'passed', withdrawalPermission: 'not-applicable' });
    expect(await tester.test(input('kraken', 'live', 'kraken-key-0001', Buffer.from('kraken-secret').toString('base64')), log)).toMatchObject({
      status: 'passed',
      withdrawalPermission: 'not-reported',
    });
  });

  it('fails closed when the permissions of a live key cannot be read', async () => {
    mock.keys.set('binance-unreadable-perms', { secret: 's-unreadable', canWithdraw: false, permissionsReadable: false });
    const result = await tester.test(input('binance', 'live', 'binance-unreadable-perms', 's-unreadable'), log);
    expect(result).toMatchObject({ status: 'failed', code: 'EXCHANGE.PERMISSION_CHECK_FAILED', withdrawalPermission: 'unknown' });
  });

  it('reports an exchange that does not answer as EXCHANGE.UNREACHABLE', async () => {
    const unreachable = createConnectionTester({ loadCcxt, nowMs: () => NOW, apiOverrides: { binance: 'http://127.0.0.1:9' }, timeoutMs: 2000 });
    expect(await unreachable.test(input('binance', 'live', 'k-000000000000', 's'), log)).toMatchObject({ status: 'failed', code: 'EXCHANGE.UNREACHABLE' });
  });

  it('passes paper connections without contacting anything', async () => {
    const result = await tester.test({ exchangeId: 'paper', mode: 'paper', credentials: undefined, paper: { startingBalance: { currency: 'USD', amount: 5000 } } }, log);
    expect(result).toMatchObject({ status: 'passed', withdrawalPermission: 'not-applicable', nonZeroBalances: 1 });
    expect(mock.requests).toEqual([]);
  });

  it('reports missing credentials without contacting the exchange', async () => {
    const result = await tester.test({ exchangeId: 'binance', mode: 'live', credentials: undefined, paper: null }, log);
    expect(result).toMatchObject({ status: 'failed', code: 'CONNECTION.CREDENTIALS_MISSING' });
    expect(mock.requests).toEqual([]);
  });
});

describe('api url overrides', () => {
  it('accepts loopback origins only', () => {
    expect(parseApiOverrides('binance=http://127.0.0.1:4010,okx=http://localhost:1')).toEqual({ binance: 'http://127.0.0.1:4010', okx: 'http://localhost:1' });
    expect(parseApiOverrides(undefined)).toEqual({});
    expect(() => parseApiOverrides('binance=https://evil.example')).toThrow();
    expect(() => parseApiOverrides('mtgox=http://127.0.0.1:1')).toThrow();
  });

  it('rewrites every origin in a nested url tree and keeps paths', () => {
    expect(rewriteApiOrigins({ a: 'https://api.x.com/v1', b: { c: 'https://y.com' }, d: 3 }, 'http://127.0.0.1:1')).toEqual({ a: 'http://127.0.0.1:1/v1', b: { c: 'http://127.0.0.1:1' }, d: 3 });
  });
});
