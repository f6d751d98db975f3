import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSecretStore } from '../../../../shared/adapters/secrets/file-secret-store';

describe('FileSecretStore', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'tt-secrets-'));

  it('round-trips secrets and persists them for a new instance', async () => {
    const d = dir();
    await new FileSecretStore(d).set('conn-a-b', '{"apiKey":"AKIA-EXAMPLE-123","secret":"s3cr3t"}');
    expect(await new FileSecretStore(d).get('conn-a-b')).toBe('{"apiKey":"AKIA-EXAMPLE-123","secret":"s3cr3t"}');
    expect(await new FileSecretStore(d).get('missing')).toBeUndefined();
  });

  it('creates the key file with mode 0600 and never writes plaintext', async () => {
    const d = dir();
    const store = new FileSecretStore(d);
    await store.set('n', 'plaintext-value-xyz');
    expect(statSync(join(d, 'secrets.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(d, 'secrets.json'), 'utf8')).not.toContain('plaintext-value-xyz');
  });

  it('detects a ciphertext moved to another name', async () => {
    const d = dir();
    const store = new FileSecretStore(d);
    await store.set('a', 'one');
    const file = JSON.parse(readFileSync(join(d, 'secrets.json'), 'utf8')) as { secrets: Record<string, unknown> };
    file.secrets.b = file.secrets.a;
    writeFileSync(join(d, 'secrets.json'), JSON.stringify(file));
    await expect(store.get('b')).rejects.toThrow();
  });

  it('keeps every concurrent write', async () => {
    const store = new FileSecretStore(dir());
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`k${i}`, `v${i}`)));
    for (let i = 0; i < 20; i++) expect(await store.get(`k${i}`)).toBe(`v${i}`);
    await store.delete('k3');
    expect(await store.get('k3')).toBeUndefined();
  });
});
