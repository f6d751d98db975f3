/**
 * Starts the whole local platform the way `npm start` does (node dist/local/start.js: local host +
 * SWA CLI emulator serving dist/www) with a fresh data dir and free ports, and stops it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = resolve(__dirname, '..', '..', '..');

export interface Platform {
  readonly baseUrl: string;
  readonly logs: string[];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startPlatform(timeoutMs = 180_000): Promise<Platform> {
  const [functionsPort, swaPort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'tt-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist/local/start.js')], {
    cwd: ROOT,
    env: { ...process.env, TT_DATA_DIR: dataDir, TT_FUNCTIONS_PORT: String(functionsPort), TT_SWA_PORT: String(swaPort), TT_GATEWAY_PORT: String(gatewayPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() can end the SWA CLI and the host with it.
    detached: true,
  });
  const logs: string[] = [];
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`platform not ready in ${timeoutMs / 1000} s; logs:\n${logs.slice(-40).join('\n')}`)), timeoutMs);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => {
        logs.push(line);
        if (line.includes('TradingTower is ready')) {
          clearTimeout(timer);
          ready();
        }
      });
    }
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`platform exited before it was ready; logs:\n${logs.slice(-40).join('\n')}`));
    });
  });
  return {
    baseUrl: `http://localhost:${swaPort}`,
    logs,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      process.kill(-child.pid, 'SIGTERM');
      const killer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
