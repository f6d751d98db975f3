/**
 * The local secret store end to end: the key file is created 0600, nothing is stored in plaintext,
 * credentials survive a restart of the local host (proved by the exchange mock verifying signatures
 * made with the secret after the restart), and no secret appears in any response or log line.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, expectNoSecretLeak, principalFor } from '../support/api-client';
import { startExchangeMock, type ExchangeMock } from '../support/exchange-mock';
import { startLocalHost, tempDataDir, type LocalHost } from '../support/local-host';

// Host starts and fuzz loops can exceed Jest's 5 s default on a slow machine (the projects-level
// testTimeout in jest.config.cjs is not applied by Jest 30).
jest.setTimeout(120_000);

const CREDS = { apiKey: 'ITEST-restart-key-000000000042', secret: 'ITEST-restart-secret-must-survive-42' };

interface TestAnswer {
  test: { status: string; code: string };
}

describe('secret store across host restarts', () => {
  let mock: ExchangeMock;
  let host: LocalHost;
  const dataDir = tempDataDir('tt-it-secrets-');
  const logs: string[] = [];
  let connectionId: string;
  const start = () => startLocalHost({ dataDir, env: { TT_EXCHANGE_API_OVERRIDES: `binance=${mock.origin}` } });

  beforeAll(async () => {
    mock = await startExchangeMock({ [CREDS.apiKey]: { secret: CREDS.secret, canWithdraw: false } });
    host = await start();
  });
  afterAll(async () => {
    await host.stop();
    await mock.stop();
  });

  const user = () => new ApiClient(host.baseUrl, { principal: principalFor('grace-secrets') });

  it('creates the key file with mode 0600 and stores no plaintext credential', async () => {
    const created = await user().post<{ id: string }>('/api/connections', { body: { exchangeId: 'binance', label: 'Survivor', mode: 'live', credentials: CREDS } });
    expect(created.status).toBe(201);
    connectionId = created.body.id;
    const dir = join(dataDir, 'secrets');
    expect(statSync(join(dir, 'secrets.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o077).toBe(0);
    const stored = readFileSync(join(dir, 'secrets.json'), 'utf8');
    expect(stored).not.toContain(CREDS.secret);
    expect(stored).not.toContain(CREDS.apiKey);
    const test = await user().post<TestAnswer>(`/api/connections/${connectionId}/test`);
    expect(test.body.test.status).toBe('passed');
  });

  it('still signs with the same credentials after a clean restart', async () => {
    logs.push(...host.logs);
    expect(await host.stop()).toBe(0);
    host = await start();
    mock.requests.length = 0;
    const test = await user().post<TestAnswer>(`/api/connections/${connectionId}/test`);
    expect(test.body.test).toMatchObject({ status: 'passed', code: 'CONNECTION.TEST_PASSED' });
    expect(mock.requests.filter((r) => r.authenticated).map((r) => r.apiKey)).toContain(CREDS.apiKey);
    expect(statSync(join(dataDir, 'secrets', 'secrets.key')).mode & 0o777).toBe(0o600);
  });

  it('still signs with the same credentials after the host is killed', async () => {
    logs.push(...host.logs);
    await host.kill9();
    host = await start();
    mock.requests.length = 0;
    const test = await user().post<TestAnswer>(`/api/connections/${connectionId}/test`);
    expect(test.body.test.status).toBe('passed');
    expect(mock.requests.every((r) => r.authenticated)).toBe(true);
  });

  it('never shows the credentials in a response or in the logs of any of the three hosts', () => {
    logs.push(...host.logs);
    expectNoSecretLeak({ ...host, logs }, Object.values(CREDS));
    expect(logs.length).toBeGreaterThan(20);
  });
});
