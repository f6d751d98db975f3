/**
 * A self-signed CA and a server certificate for 127.0.0.1 / localhost / ::1, made once with the
 * `openssl` CLI and reused, so local emulators can speak TLS and SDK code needs no insecure
 * switches. Clients trust the CA through `NODE_EXTRA_CA_CERTS=<caFile>` (read by Node only at
 * process start) or by passing `ca` to ws/https options.
 *
 * The certificate set lives in its own folder `<dir>/local-tls-v1/` that is created by renaming a
 * fully written temporary folder: the rename is atomic, so concurrent first calls (parallel jest
 * workers, several processes) never see or mix half-written sets; the loser drops its own copy.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalTlsCert {
  /** PEM file of the local CA: give it to clients (NODE_EXTRA_CA_CERTS or `ca`). */
  readonly caFile: string;
  /** PEM file of the server certificate (leaf only). */
  readonly certFile: string;
  /** PEM file of the server private key (mode 0600). */
  readonly keyFile: string;
  /** PEM text of the server certificate, for `https.createServer({ cert, key })`. */
  readonly cert: string;
  /** PEM text of the server private key. */
  readonly key: string;
  /** PEM text of the CA certificate. */
  readonly ca: string;
}

export interface EnsureLocalTlsOptions {
  /** Path of the openssl binary; defaults to `openssl` on PATH, then /usr/bin/openssl. */
  readonly opensslPath?: string;
  /** Renew when the server certificate expires within this many days (default 30). */
  readonly renewWithinDays?: number;
}

const SET_DIR = 'local-tls-v1';
const CA_FILE = 'ca.crt';
const CA_KEY_FILE = 'ca.key';
const CERT_FILE = 'server.crt';
const KEY_FILE = 'server.key';
const SERVER_NAMES = { dns: ['localhost'], ip: ['127.0.0.1', '::1'] } as const;
const DAY_MS = 86_400_000;

/** Returns the local CA + server certificate in `dir`, creating or renewing them when needed. */
export function ensureLocalTlsCert(dir: string, options: EnsureLocalTlsOptions = {}): LocalTlsCert {
  mkdirSync(dir, { recursive: true });
  const setDir = join(dir, SET_DIR);
  const renewWithinMs = (options.renewWithinDays ?? 30) * DAY_MS;
  if (existsSync(setDir) && !isUsable(setDir, renewWithinMs)) {
    // Move the stale set aside (not delete) so a process still reading it is not disturbed;
    // a concurrent caller may have moved it already.
    try {
      renameSync(setDir, `${setDir}.stale-${Date.now()}-${process.pid}`);
    } catch {
      /* already moved */
    }
  }
  if (!existsSync(setDir)) {
    const tmp = join(dir, `.${SET_DIR}.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    try {
      generateSet(tmp, resolveOpenssl(options.opensslPath));
      try {
        renameSync(tmp, setDir);
      } catch (e) {
        // Another process won the race: its complete set is now in place.
        if (!existsSync(setDir)) throw e;
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return readSet(setDir);
}

function readSet(setDir: string): LocalTlsCert {
  const caFile = join(setDir, CA_FILE);
  const certFile = join(setDir, CERT_FILE);
  const keyFile = join(setDir, KEY_FILE);
  return {
    caFile,
    certFile,
    keyFile,
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    ca: readFileSync(caFile, 'utf8'),
  };
}

function isUsable(setDir: string, renewWithinMs: number): boolean {
  try {
    const { cert, ca, key } = readSet(setDir);
    const leaf = new X509Certificate(cert);
    const root = new X509Certificate(ca);
    if (Date.parse(leaf.validTo) - Date.now() < renewWithinMs) return false;
    if (Date.parse(root.validTo) - Date.now() < renewWithinMs) return false;
    if (!leaf.verify(root.publicKey)) return false;
    if (!leaf.checkHost('localhost') || !leaf.checkIP('127.0.0.1')) return false;
    return key.includes('PRIVATE KEY');
  } catch {
    return false;
  }
}

function resolveOpenssl(explicit: string | undefined): string {
  if (explicit) return explicit;
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return 'openssl';
  } catch {
    return '/usr/bin/openssl';
  }
}

function generateSet(tmp: string, openssl: string): void {
  mkdirSync(tmp, { recursive: true, mode: 0o700 });
  const run = (args: string[]): void => {
    execFileSync(openssl, args, { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const ext = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${[...SERVER_NAMES.dns.map((d) => `DNS:${d}`), ...SERVER_NAMES.ip.map((i) => `IP:${i}`)].join(',')}`,
  ].join('\n');
  writeFileSync(join(tmp, 'server.ext'), `${ext}\n`);
  // EC P-256 keeps handshakes cheap for benchmarks and tests that open many connections.
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', CA_KEY_FILE]);
  run([
    'req', '-x509', '-new', '-sha256', '-key', CA_KEY_FILE, '-days', '3650', '-subj', '/CN=TradingTower local CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', CA_FILE,
  ]);
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.ec.key']);
  // PKCS#8 ("BEGIN PRIVATE KEY") is what every TLS stack accepts without extra flags.
  run(['pkcs8', '-topk8', '-nocrypt', '-in', 'server.ec.key', '-out', KEY_FILE]);
  run(['req', '-new', '-sha256', '-key', KEY_FILE, '-subj', '/CN=localhost', '-out', 'server.csr']);
  // Leaf validity stays under 398 days: some TLS clients reject longer-lived server certificates.
  run([
    'x509', '-req', '-sha256', '-in', 'server.csr', '-CA', CA_FILE, '-CAkey', CA_KEY_FILE, '-CAcreateserial',
    '-days', '397', '-extfile', 'server.ext', '-out', CERT_FILE,
  ]);
  for (const f of ['server.ec.key', 'server.csr', 'server.ext', 'ca.srl']) rmSync(join(tmp, f), { force: true });
  chmodSync(join(tmp, KEY_FILE), 0o600);
  chmodSync(join(tmp, CA_KEY_FILE), 0o600);
}
