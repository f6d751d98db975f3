/**
 * Helpers for the gateway integration tests: the gateway process (dist/gateway/main.js), a stand-in
 * for the Functions internal bars endpoint (function key check, optional failures, records what it
 * accepted), and a Web PubSub client process (the unmodified `@azure/web-pubsub-client` in Node,
 * which must run in a child process to trust the local CA through NODE_EXTRA_CA_CERTS).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { internalBarsBodySchema } from '../../functions/internal-bars';
import type { Bar } from '../../shared/market/market-types';

export const ROOT = resolve(__dirname, '..', '..');

export interface GatewayProcess {
  readonly url: string;
  readonly ready: { url: string; sim: { restUrl: string | null } };
  readonly logs: string[];
  readonly process: ChildProcess;
  stop(): Promise<number | null>;
}

export async function startGatewayProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/gateway/main.js')], {
    cwd: ROOT,
    env: { ...process.env, GATEWAY_PORT: '0', TT_LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = await new Promise<GatewayProcess['ready']>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway not ready in time; logs:\n${logs.join('\n')}`)), timeoutMs);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        logs.push(line);
        if (line.startsWith('TT_GATEWAY_READY ')) {
          clearTimeout(timer);
          resolveReady(JSON.parse(line.slice('TT_GATEWAY_READY '.length)) as GatewayProcess['ready']);
        }
      });
    }
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code} before ready; logs:\n${logs.join('\n')}`));
    });
  });
  return {
    url: ready.url,
    ready,
    logs,
    process: child,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
  };
}

interface PostedBar {
  readonly timeMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface ReceivedBatch {
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly bars: PostedBar[];
}

const toBar = (b: PostedBar): Bar => ({ openTimeMs: b.timeMs, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume });

export interface BarsEndpoint {
  /** Base URL to give the gateway as FUNCTIONS_BASE_URL. */
  readonly baseUrl: string;
  readonly accepted: ReceivedBatch[];
  /** Requests answered with an error (injected failures and bad keys). */
  readonly refused: { status: number }[];
  /** The next `n` requests answer 503 (transient failure). */
  failNext(n: number): void;
  /** Accepted bars of one market and timeframe, in arrival order. */
  bars(exchange: string, symbol: string, timeframe: string): Bar[];
  stop(): Promise<void>;
}

/** Stand-in for POST /api/internal/bars: the endpoint's own body schema, a function key, injectable failures. */
export async function startBarsEndpoint(functionKey: string): Promise<BarsEndpoint> {
  const accepted: ReceivedBatch[] = [];
  const refused: { status: number }[] = [];
  let failures = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown): void => {
        if (status >= 300) refused.push({ status });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/api/internal/bars') return answer(404, { error: 'not found' });
      if (req.headers['x-functions-key'] !== functionKey) return answer(401, { error: 'function key required' });
      if (failures > 0) {
        failures--;
        return answer(503, { error: 'injected failure' });
      }
      const parsed = internalBarsBodySchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      if (!parsed.success) return answer(400, { error: { code: 'VALIDATION.FAILED', message: parsed.error.message } });
      accepted.push(parsed.data);
      return answer(202, { accepted: parsed.data.bars.length });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    accepted,
    refused,
    failNext: (n) => {
      failures = n;
    },
    bars: (exchange, symbol, timeframe) => accepted.filter((b) => b.exchange === exchange && b.symbol === symbol && b.timeframe === timeframe).flatMap((b) => b.bars.map(toBar)),
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** Problems of a bar sequence that must be contiguous and strictly increasing. */
export function sequenceProblems(bars: readonly Bar[], stepMs: number): string[] {
  const problems: string[] = [];
  for (let i = 1; i < bars.length; i++) {
    const gap = bars[i]!.openTimeMs - bars[i - 1]!.openTimeMs;
    if (gap === 0) problems.push(`duplicate ${new Date(bars[i]!.openTimeMs).toISOString()}`);
    else if (gap < 0) problems.push(`out of order at ${new Date(bars[i]!.openTimeMs).toISOString()}`);
    else if (gap !== stepMs) problems.push(`hole of ${gap / stepMs - 1} bar(s) before ${new Date(bars[i]!.openTimeMs).toISOString()}`);
  }
  return problems;
}

export interface ClientEvent {
  readonly joined?: string;
  readonly refused?: string;
  readonly name?: string;
  readonly message?: Record<string, unknown>;
  readonly group?: string;
  readonly error?: string;
}

export interface WebPubSubClientProcess {
  readonly events: ClientEvent[];
  /** Resolves once every requested join was answered. */
  readonly joinsAnswered: Promise<void>;
  stop(): Promise<void>;
}

// Plain CommonJS run by `node -e`: the unmodified client SDK with its defaults (reliable protocol).
const CLIENT_SCRIPT = `
const { WebPubSubClient } = require('@azure/web-pubsub-client');
const groups = JSON.parse(process.env.JOIN_GROUPS);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
const client = new WebPubSubClient(process.env.CLIENT_URL, { keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0, messageRetryOptions: { maxRetries: 0 } });
client.on('server-message', (e) => out({ message: e.message.data }));
client.on('group-message', (e) => out({ message: e.message.data, group: e.message.group }));
process.on('SIGTERM', () => { client.stop(); setTimeout(() => process.exit(0), 100); });
(async () => {
  await client.start();
  for (const g of groups) {
    await client.joinGroup(g).then(() => out({ joined: g }), (e) => out({ refused: g, name: e.errorDetail ? e.errorDetail.name : String(e) }));
  }
})().catch((e) => out({ error: String(e && (e.message || e)) }));
`;

export function startWebPubSubClientProcess(clientUrl: string, groups: readonly string[], caFile: string): WebPubSubClientProcess {
  const child = spawn(process.execPath, ['-e', CLIENT_SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, CLIENT_URL: clientUrl, JOIN_GROUPS: JSON.stringify(groups), NODE_EXTRA_CA_CERTS: caFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: ClientEvent[] = [];
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const joinsAnswered = new Promise<void>((resolveJoins, reject) => {
    let answered = 0;
    if (groups.length === 0) resolveJoins();
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as ClientEvent;
      events.push(event);
      if (event.error) reject(new Error(`client failed: ${event.error}\n${stderr}`));
      if (event.joined !== undefined || event.refused !== undefined) {
        answered++;
        if (answered === groups.length) resolveJoins();
      }
    });
    void exited.then(() => reject(new Error(`client exited early:\n${stderr}`)));
  });
  return {
    events,
    joinsAnswered,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as T };
}
