/**
 * How anything starts the local host process: the emulators serve TLS from one local CA, and Node
 * reads NODE_EXTRA_CA_CERTS only at process start, so the launcher makes sure the CA exists and hands
 * the child an environment that trusts it (added to any bundle the user already trusts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureLocalTlsCert, type LocalTlsCert } from './tls/local-tls.js';

export function localTlsDir(dataDir: string): string {
  return resolve(dataDir, 'tls');
}

export function prepareHostEnv(dataDir: string, base: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; tls: LocalTlsCert } {
  const tls = ensureLocalTlsCert(localTlsDir(dataDir));
  const existing = base.NODE_EXTRA_CA_CERTS;
  let caFile = tls.caFile;
  if (existing && resolve(existing) !== resolve(tls.caFile) && existsSync(existing)) {
    caFile = join(localTlsDir(dataDir), 'trusted-bundle.pem');
    writeFileSync(caFile, `${readFileSync(existing, 'utf8').trim()}\n${tls.ca.trim()}\n`);
  }
  return { env: { ...base, NODE_EXTRA_CA_CERTS: caFile }, tls };
}

/** True when this process was started trusting the local CA (so SDK clients verify emulator TLS). */
export function processTrustsLocalCa(tls: LocalTlsCert, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file || !existsSync(file)) return false;
  return readFileSync(file, 'utf8').includes(tls.ca.trim());
}
