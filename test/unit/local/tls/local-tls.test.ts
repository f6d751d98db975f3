import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLocalTlsCert } from '../../../../local/tls/local-tls';

describe('ensureLocalTlsCert', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tt-tls-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a CA and a server certificate for localhost, 127.0.0.1 and ::1 signed by that CA', () => {
    const tls = ensureLocalTlsCert(dir);
    const leaf = new X509Certificate(tls.cert);
    const ca = new X509Certificate(tls.ca);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkIP('::1')).toBe('::1');
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(statSync(tls.keyFile).mode & 0o777).toBe(0o600);
  });

  it('reuses the existing set on later calls', () => {
    const first = ensureLocalTlsCert(dir);
    const second = ensureLocalTlsCert(dir);
    expect(second.cert).toBe(first.cert);
    expect(second.caFile).toBe(first.caFile);
  });

  it('replaces a damaged set', () => {
    const first = ensureLocalTlsCert(dir);
    writeFileSync(first.certFile, 'garbage');
    const second = ensureLocalTlsCert(dir);
    expect(second.cert).not.toBe(first.cert);
    expect(new X509Certificate(second.cert).verify(new X509Certificate(second.ca).publicKey)).toBe(true);
    expect(readdirSync(dir).some((n) => n.includes('.stale-'))).toBe(true);
  });

  it('serves HTTPS that a client trusting only the CA accepts', async () => {
    const tls = ensureLocalTlsCert(dir);
    const server = createServer({ cert: tls.cert, key: tls.key }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const get = (ca: string | undefined) =>
      new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/', ca, servername: 'localhost' }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get(tls.ca)).toBe('ok');
      await expect(get(undefined)).rejects.toThrow(/self-signed|unable to verify|certificate/i);
    } finally {
      server.close();
    }
  });
});
