import { parseEnv } from '../../../../shared/config/env-parse';
import { functionsConfigSchema } from '../../../../shared/config/functions-config';
import { gatewayConfigSchema } from '../../../../shared/config/gateway-config';
import { localConfigSchema } from '../../../../shared/config/local-config';

describe('config schemas', () => {
  it('gives the local platform embedded defaults', () => {
    const r = parseEnv(localConfigSchema, {}, 'local');
    expect(r.ok && r.value).toMatchObject({ TT_FUNCTIONS_PORT: 7071, TT_SWA_PORT: 4280, TT_DATA_DIR: '.tt-local', TT_SWA: true });
  });

  it('lists every problem at once', () => {
    const r = parseEnv(localConfigSchema, { TT_FUNCTIONS_PORT: 'seventy', TT_SWA_PORT: '99999', TT_SWA: 'maybe', TT_LOG_LEVEL: 'loud' }, 'local');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('CONFIG.INVALID');
    for (const name of ['TT_FUNCTIONS_PORT', 'TT_SWA_PORT', 'TT_SWA', 'TT_LOG_LEVEL']) expect(r.error.message).toContain(name);
    expect(r.error.details).toHaveLength(4);
  });

  it('requires a Cosmos endpoint and a vault URL when Key Vault is chosen, without echoing secrets', () => {
    const r = parseEnv(functionsConfigSchema, { SECRET_STORE: 'keyvault', COSMOS_KEY: '' }, 'functions');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain('COSMOS_ENDPOINT');
    expect(r.error.message).toContain('KEY_VAULT_URL');
    expect(r.error.message).toContain('COSMOS_KEY');
  });

  it('hides the values of secret-looking settings in messages', () => {
    const r = parseEnv(gatewayConfigSchema, { FUNCTIONS_KEY: '', FUNCTIONS_BASE_URL: 'ftp://x' }, 'gateway');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain('FUNCTIONS_BASE_URL');
    expect(r.error.message).toContain('got "ftp://x"');
    expect(r.error.message).toMatch(/FUNCTIONS_KEY: .*\(value hidden\)/);
  });
});
