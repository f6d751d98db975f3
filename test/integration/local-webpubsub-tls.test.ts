/**
 * The emulator over HTTPS/WSS with the local CA: SDK code runs unchanged, no insecure switches;
 * the only local step is trusting the CA through NODE_EXTRA_CA_CERTS, which Node reads at process
 * start, so the SDK side runs in a child process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { WebSocket } from 'ws';
import { startLocalWebPubSub, type LocalWebPubSub } from '../../local/webpubsub/local-web-pubsub';
import { ensureLocalTlsCert, type LocalTlsCert } from '../../local/tls/local-tls';

const ROOT = resolve(__dirname, '..', '..');

// Plain CommonJS run by `node -e`: the unmodified SDKs with default options.
const SDK_SCENARIO = `
const { WebPubSubServiceClient } = require('@azure/web-pubsub');
const { WebPubSubClient } = require('@azure/web-pubsub-client');
(async () => {
  const service = new WebPubSubServiceClient(process.env.WPS_CONNECTION_STRING, 'market');
  const { baseUrl } = await service.getClientAccessToken();
  const client = new WebPubSubClient(
    { getClientAccessUrl: async () => (await service.getClientAccessToken({ userId: 'tls-user', roles: ['webpubsub.joinLeaveGroups.tenant.A.*'] })).url },
    { keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0, messageRetryOptions: { maxRetries: 0 }, autoReconnect: false },
  );
  const received = new Promise((r) => client.on('server-message', (e) => r(e.message.data)));
  await client.start();
  await client.joinGroup('tenant.A.bots');
  const refused = await client.joinGroup('tenant.B.bots').then(() => 'joined', (e) => e.errorDetail && e.errorDetail.name);
  await service.group('tenant.A.bots').sendToAll({ over: 'tls' });
  const data = await received;
  client.stop();
  console.log(JSON.stringify({ baseUrl, refused, data }));
})().catch((e) => {
  console.log(JSON.stringify({ error: String(e && (e.code || e.message)) }));
  process.exit(0);
});
`;

function runScenario(env: Record<string, string>): Promise<Record<string, unknown>> {
  return new Promise((resolvePromise, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (!('NODE_EXTRA_CA_CERTS' in env)) delete childEnv.NODE_EXTRA_CA_CERTS;
    const child = spawn(process.execPath, ['-e', SDK_SCENARIO], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (errText += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolvePromise(JSON.parse(line) as Record<string, unknown>);
      } catch {
        reject(new Error(`scenario exited ${code}: ${out}\n${errText}`));
      }
    });
  });
}

describe('local Web PubSub emulator over TLS', () => {
  let dir: string;
  let tls: LocalTlsCert;
  let emulator: LocalWebPubSub;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tt-wps-tls-'));
    tls = ensureLocalTlsCert(dir);
    emulator = await startLocalWebPubSub({ tls: { cert: tls.cert, key: tls.key }, browserPort: 0 });
  });
  afterAll(async () => {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('advertises an https endpoint in its connection string', () => {
    expect(emulator.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.connectionString).toContain(`Endpoint=${emulator.endpoint};`);
  });

  it('serves the unmodified server and client SDKs over https/wss when the process trusts the local CA', async () => {
    const result = await runScenario({ WPS_CONNECTION_STRING: emulator.connectionString, NODE_EXTRA_CA_CERTS: tls.caFile });
    expect(result).toEqual({ baseUrl: `wss://127.0.0.1:${emulator.port}/client/hubs/market`, refused: 'Forbidden', data: { over: 'tls' } });
  }, 60_000);

  it('is refused by a process that does not trust the local CA (the certificate really is checked)', async () => {
    const result = await runScenario({ WPS_CONNECTION_STRING: emulator.connectionString });
    expect(String(result.error)).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|certificate/i);
  }, 60_000);

  describe('browser port (plain loopback websockets for browsers that do not trust the local CA)', () => {
    /** Opens a client websocket on the browser port; answers the join ack, or the refusal's status. */
    function joinOverBrowserPort(path: string): Promise<{ joined: boolean } | { status: number }> {
      return new Promise((resolveJoin) => {
        const ws = new WebSocket(`${emulator.browserClientOrigin!}${path}`, 'json.webpubsub.azure.v1');
        ws.on('unexpected-response', (_req, res) => resolveJoin({ status: res.statusCode ?? 0 }));
        ws.on('open', () => ws.send(JSON.stringify({ type: 'joinGroup', group: 'tenant.A.bots', ackId: 1 })));
        ws.on('message', (raw: Buffer) => {
          const frame = JSON.parse(raw.toString()) as { type: string; ackId?: number; success?: boolean };
          if (frame.type === 'ack' && frame.ackId === 1) {
            resolveJoin({ joined: frame.success === true });
            ws.close();
          }
        });
      });
    }
    const clientPath = async (roles: string[]): Promise<string> => {
      // Signing needs no network; the token's audience is the TLS endpoint, as negotiate issues it.
      const url = new URL((await new WebPubSubServiceClient(emulator.connectionString, 'market').getClientAccessToken({ roles })).url);
      return `${url.pathname}${url.search}`;
    };

    it('listens on ws://localhost and accepts a client with a token issued for the TLS endpoint', async () => {
      expect(emulator.browserClientOrigin).toMatch(/^ws:\/\/localhost:\d+$/);
      await expect(joinOverBrowserPort(await clientPath(['webpubsub.joinLeaveGroups.tenant.A.*']))).resolves.toEqual({ joined: true });
    });

    it('still checks the token: a forged one is refused, and the roles still limit joins', async () => {
      await expect(joinOverBrowserPort('/client/hubs/market?access_token=forged')).resolves.toEqual({ status: 401 });
      await expect(joinOverBrowserPort(await clientPath([]))).resolves.toEqual({ joined: false });
    });

    it('serves no REST API (server calls go over TLS only)', async () => {
      const res = await fetch(`${emulator.browserClientOrigin!.replace('ws:', 'http:')}/api/hubs/market/:send?api-version=2024-01-01`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(404);
    });
  });
});
