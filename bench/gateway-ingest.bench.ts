/**
 * Gateway throughput and tick latency, one gateway process (this one) measured with the real code:
 *
 *   ingest-core  trades/s through the gateway core for 100 markets: feed loop, bar builder (6
 *                timeframes), sequencer/dispatcher, tick coalescer (10/s/market), metrics. Trades
 *                come from memory, one 500-trade batch per event-loop turn per market.
 *   ingest-ws    the same core fed over the sim exchange's websocket (JSON frames, zod-checked) by a
 *                sim exchange in a child process: what one gateway process ingests from a socket.
 *   latency      100 WebPubSubClient (@azure/web-pubsub-client, reliable protocol) in worker
 *                processes, each joined to the groups of 100 markets; 100 markets × 10 trades/s =
 *                1,000 ticks/s published by the gateway (real @azure/web-pubsub SDK over HTTPS) through
 *                the local emulator (own process, TLS) → 100,000 deliveries/s. Latency is trade ingest
 *                (stamped on the trade) → client receive, in epoch ms with sub-ms precision.
 *   fanout-max   the same clients, trades offered as fast as the gateway can publish (per-market
 *                limit raised to 1,000/s): deliveries/s the gateway drives through the emulator.
 *
 * Usage: npm run build:api && node dist/bench/gateway-ingest.bench.js [--seconds 10] [--clients 100]
 *        [--workers 2] [--markets 100] [--rate <trades/s per market, default 1000/markets>] [--limit <ticks/s per market>]
 *        [--speed <sim speed for ingest-ws, default 300>] [--client sdk|raw] [--phases ingest-core,ingest-ws,latency,fanout-max] [--json]
 * `--protocol json` gives the SDK clients the site's protocol (`json.webpubsub.azure.v1`, no sequence
 * acks) instead of the SDK's default reliable one.
 * `--client raw` uses plain websocket clients on `json.webpubsub.azure.v1` (cheaper than the SDK),
 * to show what the gateway and emulator do when the clients are not the bottleneck.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { WebPubSubClient, WebPubSubJsonProtocol } from '@azure/web-pubsub-client';
import { WebSocket } from 'ws';
import { ensureLocalTlsCert } from '../local/tls/local-tls.js';
import type { BarSink } from '../shared/adapters/market-data/bar-sink.js';
import type { MarketDataExchange, TradeBatch } from '../shared/adapters/market-data/market-data-exchange.js';
import { SimExchangeClient } from '../shared/adapters/market-data/sim-exchange-client.js';
import { startSimExchangeServer } from '../shared/adapters/market-data/sim-exchange-server.js';
import { createWebPubSubServiceClient, WebPubSubTickPublisher, type TickPublisher } from '../shared/adapters/market-data/web-pubsub-tick-publisher.js';
import { marketGroup } from '../shared/market/market-key.js';
import type { Trade } from '../shared/market/market-types.js';
import { SIM_MARKETS, SimMarket, simTimeMs } from '../shared/market/sim-market.js';
import { startGateway, type Gateway, type GatewayDeps, type GatewaySettings } from '../gateway/start-gateway.js';
import { arg, epochMs, num, percentile, sleep } from './bench-support.js';

const ROOT = resolve(__dirname, '..', '..');
const HUB = 'market';

const settings = (markets: readonly string[], ticksPerSecond: number): GatewaySettings => ({
  GATEWAY_PORT: 0,
  GATEWAY_HOST: '127.0.0.1',
  GATEWAY_MARKETS: markets.join(','),
  GATEWAY_CONTROL_KEY: undefined,
  GATEWAY_DEMAND_REFRESH_MS: 60_000,
  TICKS_PER_SECOND_PER_MARKET: ticksPerSecond,
  GATEWAY_MAX_BACKFILL_BARS: 1_000,
});

const nullSink: BarSink = { name: 'null', deliver: () => Promise.resolve() };
const nullPublisher: TickPublisher = { publish: () => Promise.resolve() };

function cpuMeter(): () => number {
  const start = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000 / (performance.now() - t0);
  };
}

// ------------------------------------------------------------------ phase: ingest-core

/** Trades from memory: one batch per event-loop turn, like socket reads. */
class MemoryExchange implements MarketDataExchange {
  readonly id = 'mem';
  private readonly cursors = new Map<string, number>();
  constructor(
    private readonly batches: readonly (readonly Trade[])[],
    /** Time span of all batches: each lap is shifted by it. */
    private readonly lapMs: number,
  ) {}
  start(): Promise<void> {
    return Promise.resolve();
  }
  watchTrades(symbol: string): Promise<TradeBatch> {
    const i = this.cursors.get(symbol) ?? 0;
    this.cursors.set(symbol, i + 1);
    const trades = this.batches[i % this.batches.length]!;
    // Shift each lap forward in time so bars keep closing instead of the trades turning late.
    const lap = Math.floor(i / this.batches.length);
    const shifted = lap === 0 ? trades : trades.map((t) => ({ ...t, timestampMs: t.timestampMs + lap * this.lapMs }));
    return new Promise((r) => setImmediate(() => r({ trades: shifted, resumed: false })));
  }
  fetchOhlcv(): Promise<never[]> {
    return Promise.resolve([]);
  }
  unwatchTrades(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

async function ingestCore(seconds: number, marketCount: number): Promise<Record<string, number>> {
  const sim = new SimMarket({ ...SIM_MARKETS[0]!, tradesPerSecond: 200 }, 1);
  const start = Date.UTC(2025, 0, 6);
  const trades = sim.tradesBetween(start, start + 300_000);
  const batches: Trade[][] = [];
  for (let i = 0; i < trades.length; i += 500) batches.push(trades.slice(i, i + 500));
  const exchange = new MemoryExchange(batches, 300_000);
  const markets = Array.from({ length: marketCount }, (_, i) => `mem:M${i}/USD`);
  const gateway = await startGateway(settings(markets, 10), { exchanges: () => Promise.resolve(exchange), barSinks: [nullSink], tickPublisher: nullPublisher });
  await sleep(500);
  const before = gateway.metrics().counters;
  const cpu = cpuMeter();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - t0) / 1000;
  const after = gateway.metrics().counters;
  const cpuShare = cpu();
  await gateway.stop();
  return {
    tradesPerSecond: Math.round((after.tradesIn - before.tradesIn) / elapsed),
    ticksPerSecond: Math.round((after.ticksOut - before.ticksOut) / elapsed),
    barsPerSecond: Math.round((after.barsEmitted - before.barsEmitted) / elapsed),
    cpuCores: Number(cpuShare.toFixed(2)),
  };
}

// ------------------------------------------------------------------ phase: ingest-ws

async function runSimServer(): Promise<void> {
  const marketCount = Number(process.env.BENCH_MARKETS);
  const speed = Number(process.env.BENCH_SPEED);
  const markets = new Map<string, SimMarket>();
  for (let i = 0; i < marketCount; i++) {
    const symbol = `SIM-B${i}/USD`;
    markets.set(symbol, new SimMarket({ ...SIM_MARKETS[0]!, symbol, tradesPerSecond: 10 }, 100 + i));
  }
  const now = Date.now();
  const clock = { anchorRealMs: now, anchorSimMs: now - 24 * 3_600_000, speed };
  const server = await startSimExchangeServer({ markets, clock: () => simTimeMs(clock, Date.now()) });
  process.stdout.write(`SIM_READY ${JSON.stringify({ restUrl: server.restUrl })}\n`);
  const report = setInterval(() => process.stdout.write(`SIM_STATS ${JSON.stringify(server.stats())}\n`), 1000);
  process.once('SIGTERM', () => {
    clearInterval(report);
    void server.stop().then(() => process.exit(0));
  });
}

async function ingestWs(seconds: number, marketCount: number, speed: number): Promise<Record<string, number>> {
  const child = spawn(process.execPath, [__filename, 'sim'], { cwd: ROOT, env: { ...process.env, BENCH_MARKETS: String(marketCount), BENCH_SPEED: String(speed) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const restUrl = await new Promise<string>((resolveReady, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('SIM_READY ')) resolveReady((JSON.parse(line.slice(10)) as { restUrl: string }).restUrl);
    });
    child.once('exit', (code) => reject(new Error(`sim exchange exited with ${code}`)));
  });
  const markets = Array.from({ length: marketCount }, (_, i) => `sim:SIM-B${i}/USD`);
  const deps: GatewayDeps = { exchanges: () => Promise.resolve(new SimExchangeClient({ restUrl })), barSinks: [nullSink], tickPublisher: nullPublisher, timeframes: ['1m', '5m', '15m', '1h', '4h', '1d'] };
  const gateway = await startGateway(settings(markets, 10), deps);
  await sleep(1500);
  const before = gateway.metrics().counters;
  const cpu = cpuMeter();
  const childCpuBefore = await childCpuMs(child.pid!);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - t0) / 1000;
  const after = gateway.metrics().counters;
  const cpuShare = cpu();
  const simCpu = ((await childCpuMs(child.pid!)) - childCpuBefore) / 1000 / elapsed;
  await gateway.stop();
  child.kill('SIGTERM');
  return {
    offeredTradesPerSecond: marketCount * 10 * speed,
    tradesPerSecond: Math.round((after.tradesIn - before.tradesIn) / elapsed),
    gatewayCpuCores: Number(cpuShare.toFixed(2)),
    simExchangeCpuCores: Number(simCpu.toFixed(2)),
  };
}

/** CPU time (ms) of a child process from /proc (Linux). */
async function childCpuMs(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  try {
    const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return ((Number(stat[11]) + Number(stat[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

// ------------------------------------------------------------------ client workers

interface WorkerReport {
  messages: number;
  latencies: number[];
  cpuMs: number;
}

async function runClients(): Promise<void> {
  const count = Number(process.env.BENCH_CLIENTS);
  const groups = JSON.parse(process.env.BENCH_GROUPS!) as string[];
  const kind = process.env.BENCH_CLIENT_KIND === 'raw' ? 'raw' : 'sdk';
  // The site's protocol (json.webpubsub.azure.v1) or the SDK's default (reliable, with sequence acks).
  const protocol = process.env.BENCH_SDK_PROTOCOL === 'json' ? WebPubSubJsonProtocol() : undefined;
  const service = new WebPubSubServiceClient(process.env.WPS_CONNECTION_STRING!, HUB);
  let messages = 0;
  let latencies: number[] = [];
  const onTick = (data: unknown): void => {
    messages++;
    const timeMs = (data as { timeMs?: number }).timeMs;
    // Sample latency (1 in 10) to keep the worker's own cost down.
    if (typeof timeMs === 'number' && messages % 10 === 0) latencies.push(epochMs() - timeMs);
  };
  const stops: (() => void)[] = [];
  const token = (): Promise<{ url: string }> => service.getClientAccessToken({ roles: ['webpubsub.joinLeaveGroups.md.**'] });
  for (let i = 0; i < count; i++) {
    if (kind === 'sdk') {
      const client = new WebPubSubClient({ getClientAccessUrl: async () => (await token()).url }, { keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0, messageRetryOptions: { maxRetries: 0 }, ...(protocol ? { protocol } : {}) });
      client.on('server-message', (e) => onTick(e.message.data));
      await client.start();
      for (const g of groups) await client.joinGroup(g);
      stops.push(() => client.stop());
    } else {
      const ws = new WebSocket((await token()).url, 'json.webpubsub.azure.v1', { perMessageDeflate: false });
      await new Promise<void>((r, j) => {
        ws.once('open', () => r());
        ws.once('error', j);
      });
      let acks = 0;
      const joined = new Promise<void>((r) => {
        ws.on('message', (raw: Buffer) => {
          const frame = JSON.parse(raw.toString('utf8')) as { type: string; data?: unknown };
          if (frame.type === 'ack' && ++acks === groups.length) r();
          else if (frame.type === 'message') onTick(frame.data);
        });
      });
      groups.forEach((group, n) => ws.send(JSON.stringify({ type: 'joinGroup', group, ackId: n + 1 })));
      await joined;
      stops.push(() => ws.terminate());
    }
  }
  process.stdout.write('CLIENTS_READY\n');
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'report') {
      const usage = process.cpuUsage();
      const report: WorkerReport = { messages, latencies, cpuMs: (usage.user + usage.system) / 1000 };
      process.stdout.write(`REPORT ${JSON.stringify(report)}\n`);
      messages = 0;
      latencies = [];
    } else if (line === 'stop') {
      for (const stop of stops) stop();
      setTimeout(() => process.exit(0), 200);
    }
  });
}

interface Workers {
  collect(): Promise<WorkerReport[]>;
  stop(): void;
}

async function startWorkers(connectionString: string, caFile: string, clients: number, workerCount: number, groups: readonly string[], kind: string): Promise<Workers> {
  const children: ChildProcess[] = [];
  const pending: ((r: WorkerReport) => void)[][] = [];
  for (let w = 0; w < workerCount; w++) {
    const share = Math.floor(clients / workerCount) + (w < clients % workerCount ? 1 : 0);
    const child = spawn(process.execPath, [__filename, 'clients'], {
      cwd: ROOT,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, WPS_CONNECTION_STRING: connectionString, BENCH_CLIENTS: String(share), BENCH_GROUPS: JSON.stringify(groups), BENCH_CLIENT_KIND: kind, BENCH_SDK_PROTOCOL: arg('protocol', 'reliable') },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    pending.push([]);
    await new Promise<void>((resolveReady, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line === 'CLIENTS_READY') resolveReady();
        if (line.startsWith('REPORT ')) pending[w]!.shift()?.(JSON.parse(line.slice(7)) as WorkerReport);
      });
      child.once('exit', (code) => reject(new Error(`client worker exited with ${code}`)));
    });
  }
  return {
    collect: () =>
      Promise.all(
        children.map(
          (child, w) =>
            new Promise<WorkerReport>((r) => {
              pending[w]!.push(r);
              child.stdin!.write('report\n');
            }),
        ),
      ),
    stop: () => {
      for (const child of children) child.stdin!.write('stop\n');
    },
  };
}

// ------------------------------------------------------------------ phases: latency, fanout-max

/** Emits trades for each market at `perMarketRate`/s, evenly spread, stamped with the hi-res epoch. */
class PacedExchange implements MarketDataExchange {
  readonly id = 'paced';
  private readonly waiters = new Map<string, (b: TradeBatch) => void>();
  private readonly buffers = new Map<string, Trade[]>();
  private running = true;
  private readonly price = new Map<string, number>();

  constructor(
    private readonly symbols: readonly string[],
    private readonly perMarketRate: number,
  ) {
    void this.pace();
  }
  start(): Promise<void> {
    return Promise.resolve();
  }
  watchTrades(symbol: string): Promise<TradeBatch> {
    const buffered = this.buffers.get(symbol);
    if (buffered && buffered.length > 0) {
      this.buffers.set(symbol, []);
      return Promise.resolve({ trades: buffered, resumed: false });
    }
    return new Promise((r) => this.waiters.set(symbol, r));
  }
  fetchOhlcv(): Promise<never[]> {
    return Promise.resolve([]);
  }
  unwatchTrades(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.running = false;
    return Promise.resolve();
  }
  private emit(symbol: string): void {
    const p = (this.price.get(symbol) ?? 100) + (Math.random() - 0.5) * 0.1;
    this.price.set(symbol, p);
    const trade: Trade = { timestampMs: epochMs(), price: Number(p.toFixed(2)), amount: 1 };
    const waiter = this.waiters.get(symbol);
    if (waiter) {
      this.waiters.delete(symbol);
      waiter({ trades: [trade], resumed: false });
    } else {
      const list = this.buffers.get(symbol) ?? [];
      list.push(trade);
      this.buffers.set(symbol, list);
    }
  }
  private async pace(): Promise<void> {
    const t0 = performance.now();
    const total = this.symbols.length * this.perMarketRate;
    let sent = 0;
    while (this.running) {
      const due = Number.isFinite(total) ? Math.floor(((performance.now() - t0) / 1000) * total) : sent + this.symbols.length;
      // Round-robin over markets, so each market's trades are evenly spaced.
      while (sent < due && this.running) {
        this.emit(this.symbols[sent % this.symbols.length]!);
        sent++;
      }
      // Finite rate: wake each millisecond (no busy loop stealing the gateway's CPU); unbounded: yield only.
      await new Promise((r) => (Number.isFinite(total) ? setTimeout(r, 1) : setImmediate(r)));
    }
  }
}

/** Wraps the real publisher to split latency: ingest → publish call, and the REST round trip. */
function timedPublisher(inner: TickPublisher): TickPublisher & { queueMs: number[]; restMs: number[] } {
  const queueMs: number[] = [];
  const restMs: number[] = [];
  return {
    queueMs,
    restMs,
    async publish(group, message) {
      const start = epochMs();
      const timeMs = (message as { timeMs?: number }).timeMs;
      if (typeof timeMs === 'number') queueMs.push(start - timeMs);
      await inner.publish(group, message);
      restMs.push(epochMs() - start);
    },
  };
}

async function publishPhase(
  name: string,
  seconds: number,
  symbols: readonly string[],
  perMarketRate: number,
  ticksPerSecond: number,
  realPublisher: TickPublisher,
  workers: Workers,
): Promise<Record<string, number | string>> {
  const publisher = timedPublisher(realPublisher);
  const exchange = new PacedExchange(symbols, perMarketRate);
  const gateway: Gateway = await startGateway(settings(symbols.map((s) => `paced:${s}`), ticksPerSecond), {
    exchanges: () => Promise.resolve(exchange),
    barSinks: [],
    tickPublisher: publisher,
    nowMs: epochMs,
    timeframes: ['1m'],
  });
  await sleep(1000);
  await workers.collect();
  publisher.queueMs.length = 0;
  publisher.restMs.length = 0;
  const before = gateway.metrics().counters;
  const cpu = cpuMeter();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const reports = await workers.collect();
  const queue = [...publisher.queueMs].sort((a, b) => a - b);
  const rest = [...publisher.restMs].sort((a, b) => a - b);
  const elapsed = (performance.now() - t0) / 1000;
  const after = gateway.metrics().counters;
  const cpuShare = cpu();
  await exchange.close();
  await gateway.stop();
  const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const delivered = reports.reduce((s, r) => s + r.messages, 0);
  return {
    phase: name,
    tradesInPerSecond: Math.round((after.tradesIn - before.tradesIn) / elapsed),
    ticksPublishedPerSecond: Math.round((after.ticksOut - before.ticksOut) / elapsed),
    publishErrors: after.tickPublishErrors - before.tickPublishErrors,
    deliveriesPerSecond: Math.round(delivered / elapsed),
    latencyP50Ms: Number(percentile(latencies, 50).toFixed(3)),
    latencyP90Ms: Number(percentile(latencies, 90).toFixed(3)),
    latencyP99Ms: Number(percentile(latencies, 99).toFixed(3)),
    latencySamples: latencies.length,
    ingestToSendP50Ms: Number(percentile(queue, 50).toFixed(3)),
    ingestToSendP99Ms: Number(percentile(queue, 99).toFixed(3)),
    restRoundTripP50Ms: Number(percentile(rest, 50).toFixed(3)),
    restRoundTripP99Ms: Number(percentile(rest, 99).toFixed(3)),
    gatewayCpuCores: Number(cpuShare.toFixed(2)),
  };
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  const seconds = num('seconds', 10);
  const clients = num('clients', 100);
  const workerCount = num('workers', 2);
  const marketCount = num('markets', 100);
  const kind = arg('client', 'sdk');
  const phases = arg('phases', 'ingest-core,ingest-ws,latency,fanout-max').split(',');
  const dir = process.env.BENCH_TLS_DIR ?? mkdtempSync(join(tmpdir(), 'tt-bench-gw-'));
  const tls = ensureLocalTlsCert(join(dir, 'tls'));
  if (process.env.NODE_EXTRA_CA_CERTS !== tls.caFile) {
    // Node reads the extra CA only at start: run again trusting the emulator's CA.
    const again = spawn(process.execPath, process.argv.slice(1), { cwd: ROOT, env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.caFile, BENCH_TLS_DIR: dir }, stdio: 'inherit' });
    again.once('exit', (code) => process.exit(code ?? 1));
    return;
  }
  const results: Record<string, unknown> = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '?', loadavg: loadavg().map((l) => l.toFixed(2)).join(' '), node: process.version },
    settings: { seconds, clients, workers: workerCount, markets: marketCount, client: kind },
  };
  const say = (line: string): void => {
    if (!process.argv.includes('--json')) process.stdout.write(`${line}\n`);
  };

  if (phases.includes('ingest-core')) {
    const r = await ingestCore(seconds, marketCount);
    results['ingest-core'] = r;
    say(`ingest-core  ${marketCount} markets, 6 timeframes: ${r.tradesPerSecond!.toLocaleString('en-US')} trades/s (${r.cpuCores} cores), ${r.ticksPerSecond} ticks/s, ${r.barsPerSecond} bars/s`);
  }
  if (phases.includes('ingest-ws')) {
    // Sim markets trade 10/s of sim time; the speed sets the offered rate (markets × 10 × speed).
    const r = await ingestWs(seconds, marketCount, num('speed', 300));
    results['ingest-ws'] = r;
    say(
      `ingest-ws    ${marketCount} markets over the sim websocket: ${r.tradesPerSecond!.toLocaleString('en-US')} trades/s of ${r.offeredTradesPerSecond!.toLocaleString('en-US')} offered (gateway ${r.gatewayCpuCores} cores, sim exchange ${r.simExchangeCpuCores} cores)`,
    );
  }
  if (phases.includes('latency') || phases.includes('fanout-max')) {
    const emulator = spawn(process.execPath, [join(ROOT, 'dist/local/webpubsub/local-web-pubsub-main.js')], {
      cwd: ROOT,
      env: { ...process.env, TT_WPS_TLS: 'true', TT_WPS_TLS_DIR: join(dir, 'tls'), TT_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ready = await new Promise<{ connectionString: string }>((resolveReady, reject) => {
      createInterface({ input: emulator.stdout }).on('line', (line) => {
        if (line.startsWith('TT_WPS_READY ')) resolveReady(JSON.parse(line.slice(13)) as { connectionString: string });
      });
      emulator.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    });
    const symbols = Array.from({ length: marketCount }, (_, i) => `P${i}/USD`);
    const groups = symbols.map((symbol) => marketGroup({ exchange: 'paced', symbol }));
    const workers = await startWorkers(ready.connectionString, tls.caFile, clients, workerCount, groups, kind);
    const publisher = new WebPubSubTickPublisher(createWebPubSubServiceClient({ connectionString: ready.connectionString, hub: HUB }));
    const emulatorCpu0 = await childCpuMs(emulator.pid!);
    if (phases.includes('latency')) {
      // Default 10 trades/s per market with a 20/s limit: every trade goes out at once (the limit never binds).
      const rate = num('rate', 1_000 / marketCount);
      const r = await publishPhase('latency', seconds, symbols, rate, num('limit', rate * 2), publisher, workers);
      results.latency = r;
      say(
        `latency      ${clients} ${kind} clients × ${marketCount} groups, ${r.ticksPublishedPerSecond} ticks/s published: ${Number(r.deliveriesPerSecond).toLocaleString('en-US')} deliveries/s, tick→client p50 ${r.latencyP50Ms} ms, p90 ${r.latencyP90Ms} ms, p99 ${r.latencyP99Ms} ms (gateway ${r.gatewayCpuCores} cores)`,
      );
      say(`             ingest→send p50 ${r.ingestToSendP50Ms} ms p99 ${r.ingestToSendP99Ms} ms; REST send round trip p50 ${r.restRoundTripP50Ms} ms p99 ${r.restRoundTripP99Ms} ms`);
    }
    if (phases.includes('fanout-max')) {
      const r = await publishPhase('fanout-max', seconds, symbols, 1_000, 1_000, publisher, workers);
      results['fanout-max'] = r;
      say(
        `fanout-max   ${clients} ${kind} clients × ${marketCount} groups: ${r.ticksPublishedPerSecond} ticks/s published, ${Number(r.deliveriesPerSecond).toLocaleString('en-US')} deliveries/s, p50 ${r.latencyP50Ms} ms, p99 ${r.latencyP99Ms} ms (gateway ${r.gatewayCpuCores} cores)`,
      );
    }
    results.emulatorCpuSeconds = Number((((await childCpuMs(emulator.pid!)) - emulatorCpu0) / 1000).toFixed(1));
    workers.stop();
    emulator.kill('SIGTERM');
  }
  say(`machine: ${JSON.stringify(results.machine)}`);
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  setTimeout(() => process.exit(0), 300).unref();
}

const role = process.argv[2];
const entry = role === 'clients' ? runClients() : role === 'sim' ? runSimServer() : main();
entry.catch((e: unknown) => {
  process.stderr.write(`gateway bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
