import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosmosClientOptions, LOCAL_COSMOS_KEY, resolveCosmosTarget } from '../../../../local/cosmos/cosmos-client-factory';

describe('resolveCosmosTarget', () => {
  it('starts the embedded emulator when no endpoint is configured', () => {
    expect(resolveCosmosTarget({})).toEqual({ ok: true, value: { kind: 'embedded' } });
    expect(resolveCosmosTarget({ COSMOS_ENDPOINT: '' })).toEqual({ ok: true, value: { kind: 'embedded' } });
  });

  it('connects to a configured account or emulator with its key', () => {
    expect(resolveCosmosTarget({ COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/', COSMOS_KEY: 'k' })).toEqual({
      ok: true,
      value: { kind: 'external', endpoint: 'https://acct.documents.azure.com:443/', key: 'k' },
    });
  });

  it('reads the CA certificate to trust for an emulator endpoint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-ca-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), 'PEM');
      expect(resolveCosmosTarget({ COSMOS_ENDPOINT: 'https://localhost:8081/', COSMOS_KEY: 'k', COSMOS_CA_CERT_FILE: join(dir, 'ca.pem') })).toEqual({
        ok: true,
        value: { kind: 'external', endpoint: 'https://localhost:8081/', key: 'k', ca: 'PEM' },
      });
      const missing = resolveCosmosTarget({ COSMOS_ENDPOINT: 'https://localhost:8081/', COSMOS_CA_CERT_FILE: join(dir, 'nope.pem') });
      expect(missing).toMatchObject({ ok: false, error: { code: 'COSMOS.CONFIG_INVALID' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists every problem of an invalid setting', () => {
    const result = resolveCosmosTarget({ COSMOS_KEY: 'k', COSMOS_CA_CERT_FILE: '/x' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('COSMOS.CONFIG_INVALID');
      expect(result.error.details).toEqual(['COSMOS_ENDPOINT is required when COSMOS_KEY is set', 'COSMOS_ENDPOINT is required when COSMOS_CA_CERT_FILE is set']);
    }
    expect(resolveCosmosTarget({ COSMOS_ENDPOINT: 'ftp://x' })).toMatchObject({ ok: false, error: { code: 'COSMOS.CONFIG_INVALID' } });
  });
});

describe('cosmosClientOptions', () => {
  it('trusts a given CA through a dedicated agent only', () => {
    const options = cosmosClientOptions({ endpoint: 'https://127.0.0.1:1/', key: LOCAL_COSMOS_KEY, ca: 'PEM' });
    expect(options.agent).toBeInstanceOf(Agent);
    expect((options.agent as Agent).options.ca).toBe('PEM');
    expect(options.key).toBe(LOCAL_COSMOS_KEY);
    expect(cosmosClientOptions({ endpoint: 'https://acct.documents.azure.com/', key: 'k' }).agent).toBeUndefined();
  });

  it('falls back to Azure AD credentials without a key', () => {
    const options = cosmosClientOptions({ endpoint: 'https://acct.documents.azure.com/' });
    expect(options.key).toBeUndefined();
    expect(options.aadCredentials).toBeDefined();
  });
});
