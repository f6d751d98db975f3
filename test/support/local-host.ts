/** Starts the real local host (dist/local/host-main.js) as a child process for integration tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { prepareHostEnv } from '../../local/host-launch';

export const ROOT = resolve(__dirname, '..', '..');

export interface LocalHost {
  readonly baseUrl: string;
  readonly dataDir: string;
  readonly functionKey: string;
  readonly logs: string[];
  readonly process: ChildProcess;
  stop(): Promise<number | null>;
  kill9(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  appMain?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export function tempDataDir(prefix = 'tt-it-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startLocalHost(options: StartOptions = {}): Promise<LocalHost> {
  const dataDir = options.dataDir ?? tempDataDir();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    TT_DATA_DIR: dataDir,
    TT_FUNCTIONS_PORT: '0',
    TT_LOG_LEVEL: 'debug',
    ...(options.appMain ? { TT_APP_MAIN: options.appMain } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, [join(ROOT, 'dist/local/host-main.js')], { cwd: ROOT, env: prepareHostEnv(dataDir, env).env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = new Promise<string>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`host not ready in time; logs:\n${logs.join('\n')}`)), options.timeoutMs ?? 60_000);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        logs.push(line);
        if (line.startsWith('TT_HOST_READY ')) {
          clearTimeout(timer);
          resolveReady((JSON.parse(line.slice(14)) as { baseUrl: string }).baseUrl);
        }
      });
    }
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code} before ready; logs:\n${logs.join('\n')}`));
    });
  });
  const baseUrl = await ready;
  const keys = JSON.parse(readFileSync(join(dataDir, 'function-keys.json'), 'utf8')) as { functionKey: string };
  return {
    baseUrl,
    dataDir,
    functionKey: keys.functionKey,
    logs,
    process: child,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls until `check` returns a value or the deadline passes (no timing is asserted, only eventual truth). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`);
}
