/** Shared helpers for benchmark scripts: command-line options, clocks, percentiles and a child local host. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { prepareHostEnv } from '../local/host-launch.js';

export const ROOT = resolve(__dirname, '..', '..');

/** The value after `--name` on the command line. */
export function argText(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
export const arg = (name: string, fallback: string): string => argText(name) ?? fallback;
export const num = (name: string, fallback: number): number => Number(arg(name, String(fallback)));

/** Epoch ms with sub-ms precision, comparable across local processes. */
export const epochMs = (): number => performance.timeOrigin + performance.now();
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function summarize(samplesMs: number[]): { n: number; p50: number; p90: number; p99: number; max: number } {
  const s = [...samplesMs].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

export const fmt = (ms: number): string => `${ms.toFixed(3)} ms`;

export interface BenchHost {
  baseUrl: string;
  functionKey: string;
  stop(): Promise<void>;
}

/** Starts dist/local/host-main.js with a fresh data dir, quiet logs, and the given app entry. */
export async function startBenchHost(appMain?: string): Promise<BenchHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tt-bench-'));
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist/local/host-main.js')], {
    cwd: ROOT,
    env: prepareHostEnv(dataDir, { ...process.env, TT_DATA_DIR: dataDir, TT_FUNCTIONS_PORT: '0', TT_LOG_LEVEL: 'warn', ...(appMain ? { TT_APP_MAIN: appMain } : {}) }).env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolveReady, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('TT_HOST_READY ')) resolveReady((JSON.parse(line.slice(14)) as { baseUrl: string }).baseUrl);
    });
    child.once('exit', (code) => reject(new Error(`host exited with ${code}`)));
  });
  const keys = JSON.parse(readFileSync(join(dataDir, 'function-keys.json'), 'utf8')) as { functionKey: string };
  return {
    baseUrl,
    functionKey: keys.functionKey,
    stop: () =>
      new Promise((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}
