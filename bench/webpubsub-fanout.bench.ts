/**
 * Tick fan-out through the local Web PubSub emulator, the way the gateway publishes:
 * `WebPubSubServiceClient.group('md.sim.BTC-USD').sendToAll(...)` over HTTPS (local CA trusted via
 * NODE_EXTRA_CA_CERTS, no insecure switches) to N clients joined to that group over WSS.
 *
 * Processes: this one (orchestrator + REST sender), the emulator (dist/local/webpubsub/
 * local-web-pubsub-main.js), and W client workers (this file with `worker`), so the emulator's
 * CPU is measured alone. Each tick carries its send time (performance.timeOrigin + now(), a
 * sub-ms epoch valid across local processes); clients record send→receive latency.
 *
 * Phases (default):
 *   nominal-per-tick   SDK clients, 1,000 ticks/s, one REST send per tick
 *   nominal-batched    SDK clients, 1,000 ticks/s, one REST send per --batch-ms window (JSON array)
 *   saturate-per-tick  raw reliable-subprotocol clients, REST sends as fast as --concurrency allows, 1 tick each
 *   saturate-batched   same, --sat-batch ticks per send
 * Usage: npm run build:api && node dist/bench/webpubsub-fanout.bench.js [--clients 100] [--workers 2]
 *        [--rate 1000] [--seconds 10] [--batch-ms 10] [--sat-seconds 5] [--concurrency 16] [--sat-batch 10]
 *        [--phases nominal-per-tick,...] [--tls false] [--cork false] [--sender raw] [--json]
 * `--sender raw` replaces the server SDK by plain https requests (same URL, token and body) to show
 * the emulator's own capacity; the SDK spends far more CPU per call than the emulator does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { WebPubSubClient } from '@azure/web-pubsub-client';
import { WebSocket } from 'ws';
import { ensureLocalTlsCert } from '../local/tls/local-tls.js';
import { signHs256Jwt } from '../local/webpubsub/jwt-hs256.js';
import { arg, epochMs, num, sleep } from './bench-support.js';

const ROOT = resolve(__dirname, '..', '..');
const HUB = 'market';
const GROUP = 'md.sim.BTC-USD';
const BUCKET_MS = 0.01;
const BUCKETS = 200_000; // 10 µs buckets up to 2 s; later samples land in the last bucket


interface Tick {
  s: string;
  p: number;
  q: number;
  ts: number;
  /** Send time, epoch ms with sub-ms precision. */
  t: number;
  n: number;
}

interface WorkerReport {
  messages: number;
  ticks: number;
  firstMs: number;
  lastMs: number;
  histogram: [number, number][];
  cpuMs: number;
}

// ---------------------------------------------------------------- worker: the subscribing clients

async function runWorker(): Promise<void> {
  const count = Number(process.env.BENCH_CLIENTS);
  const offset = Number(process.env.BENCH_OFFSET);
  const kind = process.env.BENCH_CLIENT_KIND === 'raw' ? 'raw' : 'sdk';
  const service = new WebPubSubServiceClient(process.env.WPS_CONNECTION_STRING!, HUB);
  const histogram = new Uint32Array(BUCKETS);
  let messages = 0;
  let ticks = 0;
  let firstMs = 0;
  let lastMs = 0;
  let cpuAtReset = process.cpuUsage();

  const record = (data: unknown): void => {
    const now = epochMs();
    messages++;
    if (firstMs === 0) firstMs = now;
    lastMs = now;
    const list = Array.isArray(data) ? (data as Tick[]) : [data as Tick];
    for (const tick of list) {
      ticks++;
      const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.floor((now - tick.t) / BUCKET_MS)));
      histogram[bucket]!++;
    }
  };

  const token = async (i: number): Promise<string> =>
    (await service.getClientAccessToken({ userId: `bench-${offset + i}`, roles: [`webpubsub.joinLeaveGroup.${GROUP}`] })).url;

  const stops: (() => void)[] = [];
  for (let i = 0; i < count; i++) {
    if (kind === 'sdk') {
      const client = new WebPubSubClient({ getClientAccessUrl: () => token(i) });
      client.on('server-message', (e) => record(e.message.data));
      await client.start();
      await client.joinGroup(GROUP);
      stops.push(() => client.stop());
    } else {
      stops.push(await rawReliableClient(await token(i), record));
    }
  }

  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  out('READY');
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'reset') {
      histogram.fill(0);
      messages = ticks = firstMs = lastMs = 0;
      cpuAtReset = process.cpuUsage();
      out('RESET');
    } else if (line === 'report') {
      const sparse: [number, number][] = [];
      for (let b = 0; b < BUCKETS; b++) if (histogram[b]! > 0) sparse.push([b, histogram[b]!]);
      const cpu = process.cpuUsage(cpuAtReset);
      const report: WorkerReport = { messages, ticks, firstMs, lastMs, histogram: sparse, cpuMs: (cpu.user + cpu.system) / 1000 };
      out(`REPORT ${JSON.stringify(report)}`);
    } else if (line === 'exit') {
      for (const stop of stops) stop();
      setTimeout(() => process.exit(0), 100);
    }
  });
}

/** A minimal reliable-subprotocol client: join, parse every frame, sequenceAck like the SDK does. */
async function rawReliableClient(url: string, record: (data: unknown) => void): Promise<() => void> {
  const ws = new WebSocket(url, 'json.reliable.webpubsub.azure.v1');
  let lastSeq = 0;
  let ackedSeq = 0;
  const ack = (): void => {
    if (lastSeq > ackedSeq && ws.readyState === ws.OPEN) {
      ackedSeq = lastSeq;
      ws.send(`{"type":"sequenceAck","sequenceId":${lastSeq}}`);
    }
  };
  const timer = setInterval(ack, 1000);
  const joined = new Promise<void>((resolveJoin, reject) => {
    ws.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as { type: string; sequenceId?: number; data?: unknown; ackId?: number; success?: boolean };
      if (frame.type === 'message') {
        record(frame.data);
        lastSeq = frame.sequenceId ?? lastSeq;
        if (lastSeq - ackedSeq >= 300) ack();
      } else if (frame.type === 'ack' && frame.ackId === 1) {
        if (frame.success) resolveJoin();
        else reject(new Error('join refused'));
      }
    });
    ws.once('error', reject);
  });
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  ws.send(JSON.stringify({ type: 'joinGroup', group: GROUP, ackId: 1 }));
  await joined;
  return () => {
    clearInterval(timer);
    ws.close();
  };
}

// ---------------------------------------------------------------- orchestrator

interface Worker {
  child: ChildProcess;
  request(command: string, answer: string): Promise<string>;
}

function spawnWorker(env: NodeJS.ProcessEnv): Promise<Worker> {
  const child = spawn(process.execPath, [process.argv[1]!, 'worker'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: { prefix: string; resolve: (line: string) => void }[] = [];
  let ready: () => void = () => undefined;
  const readyPromise = new Promise<void>((r) => (ready = r));
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'READY') return ready();
    const i = waiting.findIndex((w) => line.startsWith(w.prefix));
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(line);
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`worker exited with ${code}`))));
  const worker: Worker = {
    child,
    request: (command, answer) =>
      new Promise((resolveAnswer) => {
        waiting.push({ prefix: answer, resolve: resolveAnswer });
        child.stdin.write(`${command}\n`);
      }),
  };
  return Promise.race([readyPromise.then(() => worker), exited]);
}

async function startEmulatorProcess(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; connectionString: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/local/webpubsub/local-web-pubsub-main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const connectionString = await new Promise<string>((resolveReady, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('TT_WPS_READY ')) resolveReady((JSON.parse(line.slice(13)) as { connectionString: string }).connectionString);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { child, connectionString };
}

/** CPU time (ms) a process has used, from /proc (Linux, USER_HZ = 100). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface PhaseResult {
  phase: string;
  clients: number;
  clientKind: string;
  seconds: number;
  ticksSent: number;
  sendsPerSec: number;
  ticksPerSecSent: number;
  tickDeliveriesPerSec: number;
  frameDeliveriesPerSec: number;
  lost: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  emulatorCpuPct: number;
  /** Emulator CPU per delivered frame (REST handling included): a load-independent cost figure. */
  emulatorCpuUsPerFrame: number;
  senderCpuPct: number;
  clientsCpuPct: number;
  sendErrors: number;
  /** Round trip of the REST send (SDK call to 202). */
  restP50Ms: number;
  restP99Ms: number;
  senderMaxLagMs: number;
  /** Machine load right after the phase: other processes compete for the same CPUs. */
  loadAverage1m: number;
}

function percentileFromHistogram(histogram: Map<number, number>, total: number, p: number): number {
  const target = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const [bucket, count] of [...histogram.entries()].sort((a, b) => a[0] - b[0])) {
    seen += count;
    if (seen >= target) return (bucket + 1) * BUCKET_MS;
  }
  return NaN;
}

class TickSource {
  private n = 0;
  private price = 50_000;
  next(t: number): Tick {
    this.n++;
    // A deterministic wiggle keeps payloads realistic in size without randomness.
    this.price = Math.round((this.price + Math.sin(this.n / 7) * 3.21) * 100) / 100;
    return { s: 'SIM-BTC/USD', p: this.price, q: 0.0123, ts: Math.floor(t), t, n: this.n };
  }
}

/** Sends one message of `batchSize` ticks; resolves when the REST call was answered. */
type Emit = (batchSize: number) => Promise<void>;
interface DriveContext {
  readonly emit: Emit;
  readonly inFlight: () => number;
  /** The sender is this far behind the schedule (ms); the worst value is reported. */
  readonly lag: (ms: number) => void;
}
type Drive = (ctx: DriveContext, stopAt: number) => Promise<void>;
/** REST sends in flight at most; beyond it the paced sender falls behind instead of opening more sockets. */
const MAX_IN_FLIGHT = 32;

async function runPhase(
  name: string,
  clientKind: string,
  workers: Worker[],
  clients: number,
  emulatorPid: number,
  send: (ticks: Tick[]) => Promise<void>,
  drive: Drive,
  seconds: number,
): Promise<PhaseResult> {
  await Promise.all(workers.map((w) => w.request('reset', 'RESET')));
  const source = new TickSource();
  let ticksSent = 0;
  let sends = 0;
  let sendErrors = 0;
  const inFlight = new Set<Promise<void>>();
  const restMs: number[] = [];
  let maxLagMs = 0;
  const emit: Emit = (batchSize) => {
    const t = epochMs();
    const ticks = Array.from({ length: batchSize }, () => source.next(t));
    ticksSent += batchSize;
    sends++;
    const p = send(ticks).then(
      () => void restMs.push(epochMs() - t),
      () => void sendErrors++,
    );
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };
  const cpuEmu0 = processCpuMs(emulatorPid);
  const cpuSelf0 = process.cpuUsage();
  const started = epochMs();
  await drive({ emit, inFlight: () => inFlight.size, lag: (ms) => (maxLagMs = Math.max(maxLagMs, ms)) }, started + seconds * 1000);
  await Promise.all(inFlight);
  const sendEnded = epochMs();

  // Drain: wait until every expected tick arrived or arrivals stop.
  const expected = ticksSent * clients;
  let reports: WorkerReport[] = [];
  let lastTotal = -1;
  for (let stableFor = 0; stableFor < 500; ) {
    reports = (await Promise.all(workers.map((w) => w.request('report', 'REPORT ')))).map((l) => JSON.parse(l.slice(7)) as WorkerReport);
    const total = reports.reduce((a, r) => a + r.ticks, 0);
    if (total >= expected) break;
    stableFor = total === lastTotal ? stableFor + 100 : 0;
    lastTotal = total;
    await sleep(100);
  }
  const cpuEmu = processCpuMs(emulatorPid) - cpuEmu0;
  const cpuSelf = process.cpuUsage(cpuSelf0);
  const received = reports.reduce((a, r) => a + r.ticks, 0);
  const frames = reports.reduce((a, r) => a + r.messages, 0);
  const lastRecv = Math.max(...reports.map((r) => r.lastMs));
  const window = (Math.max(lastRecv, sendEnded) - started) / 1000;
  const histogram = new Map<number, number>();
  for (const r of reports) for (const [b, c] of r.histogram) histogram.set(b, (histogram.get(b) ?? 0) + c);
  const maxBucket = Math.max(...histogram.keys());
  const sendWindow = (sendEnded - started) / 1000;
  restMs.sort((a, b) => a - b);
  const restPct = (q: number): number => restMs[Math.min(restMs.length - 1, Math.ceil((q / 100) * restMs.length) - 1)] ?? NaN;
  return {
    restP50Ms: restPct(50),
    restP99Ms: restPct(99),
    senderMaxLagMs: Math.round(maxLagMs),
    loadAverage1m: Math.round(loadavg()[0]! * 10) / 10,
    phase: name,
    clients,
    clientKind,
    seconds: Math.round(window * 100) / 100,
    ticksSent,
    sendsPerSec: Math.round(sends / sendWindow),
    ticksPerSecSent: Math.round(ticksSent / sendWindow),
    tickDeliveriesPerSec: Math.round(received / window),
    frameDeliveriesPerSec: Math.round(frames / window),
    lost: expected - received,
    p50Ms: percentileFromHistogram(histogram, received, 50),
    p90Ms: percentileFromHistogram(histogram, received, 90),
    p99Ms: percentileFromHistogram(histogram, received, 99),
    maxMs: (maxBucket + 1) * BUCKET_MS,
    emulatorCpuPct: Math.round((cpuEmu / (window * 1000)) * 100),
    emulatorCpuUsPerFrame: frames > 0 ? Math.round(((cpuEmu * 1000) / frames) * 100) / 100 : NaN,
    senderCpuPct: Math.round(((cpuSelf.user + cpuSelf.system) / 1000 / (window * 1000)) * 100),
    clientsCpuPct: Math.round((reports.reduce((a, r) => a + r.cpuMs, 0) / (window * 1000)) * 100),
    sendErrors,
  };
}

/** Emits ticks at `rate`/s: one send per tick, or one send per `batchMs` window with all ticks due. */
function paced(rate: number, batchMs: number): Drive {
  return ({ emit, inFlight, lag }, stopAt) =>
    new Promise((resolveDone) => {
      const start = epochMs();
      let sent = 0;
      const timer = setInterval(
        () => {
          const now = epochMs();
          const due = Math.floor(((Math.min(now, stopAt) - start) * rate) / 1000) - sent;
          const room = MAX_IN_FLIGHT - inFlight();
          if (due > 0 && room > 0) {
            const n = batchMs > 0 ? due : Math.min(due, room);
            if (batchMs > 0) void emit(n);
            else for (let i = 0; i < n; i++) void emit(1);
            sent += n;
          }
          // How late the oldest tick still waiting is against its schedule.
          if (Math.floor(((Math.min(now, stopAt) - start) * rate) / 1000) > sent) lag(now - (start + (sent * 1000) / rate));
          if (now >= stopAt) {
            clearInterval(timer);
            resolveDone();
          }
        },
        batchMs > 0 ? batchMs : 1,
      );
    });
}

/** Keeps `concurrency` sends in flight until `stopAt`: each lane sends again once answered. */
function saturating(concurrency: number, batchSize: number): Drive {
  return async ({ emit }, stopAt) => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (epochMs() < stopAt) await emit(batchSize);
      }),
    );
  };
}

async function orchestrate(): Promise<void> {
  const clients = num('clients', 100);
  const workerCount = num('workers', 2);
  const rate = num('rate', 1000);
  const seconds = num('seconds', 10);
  const batchMs = num('batch-ms', 10);
  const satSeconds = num('sat-seconds', 5);
  const concurrency = num('concurrency', 16);
  const satBatch = num('sat-batch', 10);
  const useTls = arg('tls', 'true') !== 'false';
  const cork = arg('cork', 'true') !== 'false';
  const phases = arg('phases', 'nominal-per-tick,nominal-batched,saturate-per-tick,saturate-batched').split(',');
  const json = process.argv.includes('--json');
  // `raw` isolates the emulator from the server SDK's own per-call cost (same URL, token rules and body).
  const senderKind = arg('sender', 'sdk') === 'raw' ? 'raw' : 'sdk';

  const tls = useTls ? ensureLocalTlsCert(join(tmpdir(), 'tt-bench-tls')) : undefined;
  if (tls && process.env.NODE_EXTRA_CA_CERTS !== tls.caFile) {
    // Node reads NODE_EXTRA_CA_CERTS only at start: run again with the local CA trusted.
    const child = spawn(process.execPath, process.argv.slice(1), { env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.caFile }, stdio: 'inherit' });
    child.once('exit', (code) => process.exit(code ?? 1));
    return;
  }

  const baseEnv: NodeJS.ProcessEnv = { ...process.env, TT_LOG_LEVEL: 'warn' };
  const emulator = await startEmulatorProcess({
    ...baseEnv,
    TT_WPS_TLS: useTls ? 'true' : 'false',
    TT_WPS_TLS_DIR: join(tmpdir(), 'tt-bench-tls'),
    TT_WPS_CORK_WRITES: cork ? 'true' : 'false',
  });
  const cs = emulator.connectionString;
  const service = new WebPubSubServiceClient(cs, HUB, useTls ? {} : { allowInsecureConnection: true });
  const group = service.group(GROUP);
  const send =
    senderKind === 'raw'
      ? rawRestSender(cs)
      : (ticks: Tick[]): Promise<void> => group.sendToAll(ticks.length === 1 ? ticks[0]! : ticks);
  const results: PhaseResult[] = [];
  const log = (line: string): void => {
    if (!json) console.log(line);
  };
  log(`emulator ${cs.split(';')[0]} (${useTls ? 'TLS' : 'plain'}, cork ${cork ? 'on' : 'off'}); ${clients} clients in ${workerCount} worker processes; ${rate} ticks/s nominal`);
  log(`sender: ${senderKind === 'raw' ? 'plain node:https requests with an HS256 token per call' : 'WebPubSubServiceClient.group(...).sendToAll'}`);
  log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at start`);

  const startWorkers = async (kind: 'sdk' | 'raw'): Promise<Worker[]> => {
    const per = Math.ceil(clients / workerCount);
    const started = performance.now();
    const list = await Promise.all(
      Array.from({ length: workerCount }, (_, w) =>
        spawnWorker({
          ...baseEnv,
          WPS_CONNECTION_STRING: cs,
          BENCH_CLIENTS: String(Math.min(per, clients - w * per)),
          BENCH_OFFSET: String(w * per),
          BENCH_CLIENT_KIND: kind,
        }),
      ),
    );
    log(`${clients} ${kind} clients connected and joined ${GROUP} in ${Math.round(performance.now() - started)} ms`);
    return list;
  };
  const stopWorkers = async (list: Worker[]): Promise<void> => {
    await Promise.all(list.map((w) => new Promise<void>((r) => (w.child.once('exit', () => r()), w.child.stdin!.write('exit\n')))));
  };

  try {
    // Warm-up: JIT, TLS sessions, keep-alive sockets.
    let workers = await startWorkers('sdk');
    await runPhase('warm-up', 'sdk', workers, clients, emulator.child.pid!, send, paced(rate, 0), 1);
    for (const phase of phases.filter((p) => p.startsWith('nominal'))) {
      const batched = phase === 'nominal-batched';
      results.push(await runPhase(phase, 'sdk', workers, clients, emulator.child.pid!, send, paced(rate, batched ? batchMs : 0), seconds));
      log(describe(results[results.length - 1]!));
    }
    await stopWorkers(workers);
    const saturation = phases.filter((p) => p.startsWith('saturate'));
    if (saturation.length > 0) {
      workers = await startWorkers('raw');
      for (const phase of saturation) {
        const batchSize = phase === 'saturate-batched' ? satBatch : 1;
        results.push(await runPhase(phase, 'raw', workers, clients, emulator.child.pid!, send, saturating(concurrency, batchSize), satSeconds));
        log(describe(results[results.length - 1]!));
      }
      await stopWorkers(workers);
    }
  } finally {
    emulator.child.kill('SIGTERM');
  }
  if (json) console.log(JSON.stringify(results));
}

/** Group sends without the SDK: what the SDK puts on the wire, signed per request like it does. */
function rawRestSender(connectionString: string): (ticks: Tick[]) => Promise<void> {
  const endpoint = /Endpoint=([^;]+)/i.exec(connectionString)![1]!;
  const key = /AccessKey=([^;]+)/i.exec(connectionString)![1]!;
  const url = new URL(`${endpoint}/api/hubs/${HUB}/groups/${encodeURIComponent(GROUP)}/:send?api-version=2024-12-01`);
  const lib = url.protocol === 'https:' ? https : http;
  const agent = new lib.Agent({ keepAlive: true });
  return (ticks) =>
    new Promise((resolveSend, reject) => {
      const token = signHs256Jwt({ aud: url.href, exp: Math.floor(Date.now() / 1000) + 3600 }, key);
      const req = lib.request(url, { agent, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 202 ? resolveSend() : reject(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(JSON.stringify(ticks.length === 1 ? ticks[0] : ticks));
    });
}

function describe(r: PhaseResult): string {
  const f = (ms: number): string => `${ms.toFixed(2)} ms`;
  return [
    `${r.phase.padEnd(18)} ${r.clients} ${r.clientKind} clients, ${r.seconds}s: sent ${r.ticksPerSecSent} ticks/s in ${r.sendsPerSec} sends/s`,
    `  delivered ${r.tickDeliveriesPerSec.toLocaleString('en-US')} ticks/s (${r.frameDeliveriesPerSec.toLocaleString('en-US')} frames/s), lost ${r.lost}, send errors ${r.sendErrors}`,
    `  tick latency send→client p50 ${f(r.p50Ms)}  p90 ${f(r.p90Ms)}  p99 ${f(r.p99Ms)}  max ${f(r.maxMs)}`,
    `  REST send round trip p50 ${f(r.restP50Ms)}  p99 ${f(r.restP99Ms)}; sender max lag behind schedule ${r.senderMaxLagMs} ms`,
    `  CPU: emulator ${r.emulatorCpuPct}%  sender ${r.senderCpuPct}%  clients ${r.clientsCpuPct}% (of one core); load average ${r.loadAverage1m}`,
    `  emulator cost ${r.emulatorCpuUsPerFrame} µs CPU per frame delivered ≈ ${Math.round(1e6 / r.emulatorCpuUsPerFrame).toLocaleString('en-US')} frames/s per core (${Math.round((1e6 / r.emulatorCpuUsPerFrame) * (r.tickDeliveriesPerSec / Math.max(1, r.frameDeliveriesPerSec))).toLocaleString('en-US')} ticks/s)`,
  ].join('\n');
}

if (process.argv[2] === 'worker') {
  runWorker().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  orchestrate().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
