/**
 * `npm start`: the whole platform on one machine. Starts the local host (Cosmos emulator, durable
 * runtime, Functions host on :7071) and the SWA CLI emulator in front on :4280 (static site, /.auth
 * login emulation, /api proxied). Ctrl-C stops everything; data persists in TT_DATA_DIR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfigOrExit } from '../shared/config/env-parse.js';
import { localConfigSchema } from '../shared/config/local-config.js';
import { prepareHostEnv } from './host-launch.js';

const config = loadConfigOrExit(localConfigSchema, process.env, 'local');
const root = resolve(__dirname, '..', '..');
const dataDir = resolve(root, config.TT_DATA_DIR);
const children: ChildProcess[] = [];
const say = (msg: string): void => {
  process.stdout.write(`[tradingtower] ${msg}\n`);
};

function prefixed(child: ChildProcess, tag: string, onLine?: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      onLine?.(line);
      if (!line.startsWith('TT_HOST_READY') && !line.startsWith('TT_GATEWAY_READY')) process.stdout.write(`[${tag}] ${line}\n`);
    });
  }
}

/** The SWA emulator cannot mock custom OAuth providers, so it gets the config without the `auth` block. */
function localSwaConfigDir(): string {
  const dir = resolve(dataDir, 'swa');
  mkdirSync(dir, { recursive: true });
  const cfg = JSON.parse(readFileSync(resolve(root, 'staticwebapp.config.json'), 'utf8')) as Record<string, unknown>;
  delete cfg.auth;
  writeFileSync(resolve(dir, 'staticwebapp.config.json'), JSON.stringify(cfg, null, 2));
  return dir;
}

function waitForHost(child: ChildProcess): Promise<{ baseUrl: string }> {
  return new Promise((resolveReady, reject) => {
    prefixed(child, 'host', (line) => {
      if (line.startsWith('TT_HOST_READY ')) resolveReady(JSON.parse(line.slice('TT_HOST_READY '.length)) as { baseUrl: string });
    });
    child.once('exit', (code) => reject(new Error(`the local host exited with code ${code ?? 'null'} before it was ready`)));
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

let shuttingDown = false;
function shutdown(code: number): void {
  if (shuttingDown) return;
  shuttingDown = true;
  say('stopping…');
  const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) process.exit(code);
  let remaining = alive.length;
  for (const c of alive) {
    c.once('exit', () => {
      remaining -= 1;
      if (remaining === 0) {
        say('stopped.');
        process.exit(code);
      }
    });
    c.kill('SIGTERM');
  }
  setTimeout(() => {
    for (const c of alive) c.kill('SIGKILL');
    process.exit(code);
  }, 12_000).unref();
}

async function main(): Promise<void> {
  say(`starting the local platform (data in ${dataDir})`);
  const { env } = prepareHostEnv(dataDir, process.env);
  const gatewayHealthUrl = `http://127.0.0.1:${config.TT_GATEWAY_PORT}/health`;
  if (config.TT_GATEWAY) env.GATEWAY_HEALTH_URL = gatewayHealthUrl;
  const host = spawn(process.execPath, [resolve(root, 'dist/local/host-main.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(host);
  const ready = await waitForHost(host);
  host.on('exit', (code) => {
    if (!shuttingDown) {
      say(`the local host stopped unexpectedly (code ${code ?? 'null'})`);
      shutdown(1);
    }
  });
  say(`API ready at ${ready.baseUrl}/api`);

  if (config.TT_GATEWAY) {
    say('starting the market-data gateway (sim exchange)…');
    const runtime = JSON.parse(readFileSync(resolve(dataDir, 'runtime.json'), 'utf8')) as { cosmosEndpoint?: string; cosmosKey?: string; webPubSubConnectionString?: string };
    const keys = JSON.parse(readFileSync(resolve(dataDir, 'function-keys.json'), 'utf8')) as { functionKey: string };
    const gatewayEnv: NodeJS.ProcessEnv = {
      ...env,
      GATEWAY_PORT: String(config.TT_GATEWAY_PORT),
      FUNCTIONS_BASE_URL: ready.baseUrl,
      FUNCTIONS_KEY: keys.functionKey,
      // The markets running bots need, besides the configured sim markets; a user's env setting wins.
      GATEWAY_DEMAND_URL: env.GATEWAY_DEMAND_URL ?? `${ready.baseUrl}/api/internal/markets`,
      GATEWAY_DEMAND_REFRESH_MS: env.GATEWAY_DEMAND_REFRESH_MS ?? '5000',
      ...(runtime.webPubSubConnectionString ? { WEB_PUBSUB_CONNECTION_STRING: runtime.webPubSubConnectionString } : {}),
      ...(runtime.cosmosEndpoint ? { COSMOS_ENDPOINT: runtime.cosmosEndpoint } : {}),
      ...(runtime.cosmosKey ? { COSMOS_KEY: runtime.cosmosKey } : {}),
    };
    const gateway = spawn(process.execPath, [resolve(root, 'dist/gateway/main.js')], { cwd: root, env: gatewayEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(gateway);
    await new Promise<void>((resolveReady, reject) => {
      prefixed(gateway, 'gateway', (line) => {
        if (line.startsWith('TT_GATEWAY_READY ')) resolveReady();
      });
      gateway.once('exit', (code) => reject(new Error(`the gateway exited with code ${code ?? 'null'} before it was ready`)));
    });
    gateway.on('exit', (code) => {
      if (!shuttingDown) {
        say(`the gateway stopped unexpectedly (code ${code ?? 'null'})`);
        shutdown(1);
      }
    });
    say(`gateway ready: ${gatewayHealthUrl}`);
  }

  if (config.TT_SWA) {
    say('starting the Static Web Apps emulator (site, /.auth, /api proxy)…');
    const swaBin = resolve(root, 'node_modules/@azure/static-web-apps-cli/dist/cli/bin.js');
    const swa = spawn(process.execPath, [swaBin, 'start', resolve(root, 'dist/www'), '--api-devserver-url', ready.baseUrl, '--port', String(config.TT_SWA_PORT), '--host', '127.0.0.1', '--swa-config-location', localSwaConfigDir()], {
      cwd: root,
      env: { ...process.env, SWA_CLI_APP_LOCATION: '', SWA_CLI_DEBUG: process.env.SWA_CLI_DEBUG ?? 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(swa);
    prefixed(swa, 'swa');
    swa.on('exit', (code) => {
      if (!shuttingDown) {
        say(`the SWA emulator stopped unexpectedly (code ${code ?? 'null'})`);
        shutdown(1);
      }
    });
    await waitForHttp(`http://127.0.0.1:${config.TT_SWA_PORT}/`, 90_000);
    say('');
    say(`TradingTower is ready: http://localhost:${config.TT_SWA_PORT}`);
    say(`health: curl http://localhost:${config.TT_SWA_PORT}/api/health`);
    say('press Ctrl-C to stop');
  }
}

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
main().catch((e: unknown) => {
  say(`failed to start: ${e instanceof Error ? e.message : String(e)}`);
  shutdown(1);
});
