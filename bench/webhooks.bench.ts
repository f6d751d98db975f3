/**
 * Webhook intake through the real local host (compiled app, embedded Cosmos and durable runtime):
 *
 *  1. acknowledge latency p50/p99 at a steady 50 requests/s (open loop: requests leave on schedule
 *     whether or not earlier ones were answered), each a distinct signed-by-passphrase JSON alert;
 *  2. sustained signals/s with 16 requests in flight (closed loop);
 *  3. signal-to-paper-fill latency p50/p99: one signal at a time to a running `signal` bot on a paper
 *     connection; the time from the intake receiving it (signal log `receivedAtMs`) to the bot
 *     recording the fill (its `fill` event `atMs`), both on the host's clock. If the paper exchange
 *     fills market orders at the next bar rather than at once, a bar is posted right after each
 *     acknowledgement and the figure includes that.
 *
 * Usage: npm run build:api && node dist/bench/webhooks.bench.js [--seconds 20] [--burst-requests 1200] [--fills 100] [--json]
 */
import { Agent, request } from 'node:http';
import { argText, fmt, num, startBenchHost, summarize, type BenchHost } from './bench-support.js';

const PRINCIPAL = Buffer.from(JSON.stringify({ identityProvider: 'aad', userId: 'bench-webhooks', userDetails: 'bench@example.com', userRoles: ['anonymous', 'authenticated'] })).toString('base64');

interface Answer {
  status: number;
  body: unknown;
  ms: number;
}

function call(agent: Agent, url: URL, method: string, body: string | undefined, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(url, { agent, method, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text ? (JSON.parse(text) as unknown) : undefined;
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, ms });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

class Api {
  readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  constructor(private readonly host: BenchHost) {}

  async as<T>(method: string, path: string, body?: unknown, expect: number[] = [200, 201, 202]): Promise<T> {
    const answer = await call(this.agent, new URL(`${this.host.baseUrl}${path}`), method, body === undefined ? undefined : JSON.stringify(body), {
      'x-ms-client-principal': PRINCIPAL,
      'content-type': 'application/json',
    });
    if (!expect.includes(answer.status)) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
    return answer.body as T;
  }

  postBars(symbol: string, bars: { timeMs: number; open: number; high: number; low: number; close: number; volume: number }[]): Promise<Answer> {
    return call(this.agent, new URL(`${this.host.baseUrl}/api/internal/bars`), 'POST', JSON.stringify({ exchange: 'paper', symbol, timeframe: '1m', bars }), {
      'content-type': 'application/json',
      'x-functions-key': this.host.functionKey,
    });
  }
}

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

interface Setup {
  botId: string;
  hookPath: string;
  passphrase: string;
  symbol: string;
}

async function setupBot(api: Api, symbol: string, rateLimit: { burst: number; perMinute: number }): Promise<Setup> {
  const connection = await api.as<{ id: string }>('POST', '/api/connections', { exchangeId: 'paper', label: `bench ${symbol}`, mode: 'paper', paper: { startingBalance: { currency: 'USD', amount: 1_000_000_000 } } });
  const bot = await api.as<{ id: string }>('POST', '/api/bots', {
    name: `bench ${symbol}`, connectionId: connection.id, market: { exchange: 'paper', symbol, timeframe: '1m' }, strategy: { id: 'signal', params: {} }, sizing: { mode: 'quantity', value: 1 },
  });
  await api.as('POST', `/api/bots/${bot.id}/start`);
  await until(async () => ((await api.as<{ status: string }>('GET', `/api/bots/${bot.id}`)).status === 'running' ? true : undefined));
  const hook = await api.as<{ hook: { url: string }; credentials: { passphrase: string } }>('POST', `/api/bots/${bot.id}/hook`, { rateLimit });
  return { botId: bot.id, hookPath: new URL(hook.hook.url).pathname, passphrase: hook.credentials.passphrase, symbol };
}

function signalBody(setup: Setup, id: string, action: string): string {
  return JSON.stringify({ secret: setup.passphrase, action, ticker: setup.symbol, quantity: '1', id, timestamp: new Date().toISOString(), comment: 'bench' });
}

async function ackAtRate(api: Api, host: BenchHost, setup: Setup, rate: number, seconds: number): Promise<{ samples: number[]; statuses: Map<number, number>; achievedRps: number }> {
  const total = rate * seconds;
  const url = new URL(`${host.baseUrl}${setup.hookPath}`);
  const samples: number[] = [];
  const statuses = new Map<number, number>();
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      call(api.agent, url, 'POST', signalBody(setup, `rate-${i}`, i % 2 === 0 ? 'buy' : 'sell'), { 'content-type': 'application/json' }).then((a) => {
        samples.push(a.ms);
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      }),
    );
  }
  await Promise.all(pending);
  return { samples, statuses, achievedRps: total / ((performance.now() - started) / 1000) };
}

async function sustained(api: Api, host: BenchHost, setup: Setup, total: number, concurrency: number): Promise<{ samples: number[]; rps: number; statuses: Map<number, number> }> {
  const url = new URL(`${host.baseUrl}${setup.hookPath}`);
  const samples: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const a = await call(api.agent, url, 'POST', signalBody(setup, `burst-${i}`, i % 2 === 0 ? 'buy' : 'sell'), { 'content-type': 'application/json' });
        samples.push(a.ms);
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      }
    }),
  );
  return { samples, rps: total / ((performance.now() - started) / 1000), statuses };
}

interface EventView {
  seq: number;
  type: string;
  atMs: number;
  data: Record<string, unknown>;
}

async function signalToFill(api: Api, host: BenchHost, setup: Setup, count: number): Promise<{ samples: number[]; toOrder: number[]; barDriven: boolean }> {
  const url = new URL(`${host.baseUrl}${setup.hookPath}`);
  let barTimeMs = Date.UTC(2024, 0, 1);
  const bar = (price: number) => ({ timeMs: (barTimeMs += 60_000), open: price, high: price * 1.001, low: price * 0.999, close: price, volume: 1e6 });
  // A first bar gives the book its last price.
  await api.postBars(setup.symbol, [bar(100)]);
  await until(async () => ((await api.as<{ items: unknown[] }>('GET', `/api/bots/${setup.botId}/equity?limit=1`)).items.length > 0 ? true : undefined));
  const samples: number[] = [];
  const toOrder: number[] = [];
  let lastFillSeq = 0;
  let barDriven = false;
  for (let i = 0; i < count; i++) {
    const answer = await call(api.agent, url, 'POST', signalBody(setup, `fill-${i}`, i % 2 === 0 ? 'buy' : 'sell'), { 'content-type': 'application/json' });
    if (answer.status !== 202) throw new Error(`signal answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const signalId = (answer.body as { signalId: string }).signalId;
    let barPosted = false;
    let acceptedAtMs: number | null = null;
    const found = await until(
      async () => {
        const page = await api.as<{ items: EventView[] }>('GET', `/api/bots/${setup.botId}/events?type=fill&limit=1`);
        const newest = page.items[0];
        if (newest && newest.seq > lastFillSeq) return newest;
        // No fill yet: an order the paper exchange keeps for the next bar gets one bar, once.
        if (!barPosted) {
          const orders = await api.as<{ items: { status: string; updatedAtMs: number }[] }>('GET', `/api/bots/${setup.botId}/orders?limit=1`);
          const order = orders.items[0];
          if (order?.status === 'accepted') {
            barPosted = true;
            barDriven = true;
            acceptedAtMs = order.updatedAtMs;
            await api.postBars(setup.symbol, [bar(100 + (i % 7))]);
          }
        }
        return undefined;
      },
      30_000,
      2,
    );
    lastFillSeq = found.seq;
    const logged = await api.as<{ items: { id: string; receivedAtMs: number }[] }>('GET', `/api/bots/${setup.botId}/signals?limit=5`);
    const received = logged.items.find((s) => s.id === signalId)?.receivedAtMs;
    if (received === undefined) throw new Error(`signal ${signalId} is not in the log`);
    samples.push(found.atMs - received);
    if (acceptedAtMs !== null) toOrder.push(acceptedAtMs - received);
  }
  void host;
  return { samples, toOrder, barDriven };
}

const statusText = (m: Map<number, number>): string => [...m.entries()].sort().map(([s, n]) => `${s}×${n}`).join(' ');

async function main(): Promise<void> {
  const seconds = num('seconds', 20);
  const burstRequests = num('burst-requests', 1200);
  const fillCount = num('fills', 100);
  // --host-url/--function-key: drive a host started elsewhere (e.g. under --cpu-prof).
  const hostUrl = argText('host-url');
  const host: BenchHost = hostUrl ? { baseUrl: hostUrl, functionKey: argText('function-key') ?? '', stop: () => Promise.resolve() } : await startBenchHost();
  const api = new Api(host);
  const results: Record<string, unknown> = {};
  const json = process.argv.includes('--json');
  try {
    const warmBot = await setupBot(api, 'BENCH0USD', { burst: 1000, perMinute: 6000 });
    const rateBot = await setupBot(api, 'BENCH1USD', { burst: 1000, perMinute: 6000 });
    const burstBot = await setupBot(api, 'BENCH2USD', { burst: 1000, perMinute: 6000 });
    const fillBot = await setupBot(api, 'BENCH3USD', { burst: 1000, perMinute: 6000 });
    await sustained(api, host, warmBot, 300, 4); // warm-up: JIT, sockets, Cosmos

    const rate = await ackAtRate(api, host, rateBot, 50, seconds);
    const r = summarize(rate.samples);
    results.ackAt50rps = { ...r, achievedRps: Number(rate.achievedRps.toFixed(1)), statuses: Object.fromEntries(rate.statuses) };
    if (!json) console.log(`ack at 50 req/s for ${seconds} s: ${r.n} signals  p50 ${fmt(r.p50)}  p90 ${fmt(r.p90)}  p99 ${fmt(r.p99)}  max ${fmt(r.max)}  (${rate.achievedRps.toFixed(1)} req/s; ${statusText(rate.statuses)})`);

    const burst = await sustained(api, host, burstBot, burstRequests, 16);
    const b = summarize(burst.samples);
    results.sustained = { ...b, signalsPerSecond: Math.round(burst.rps), statuses: Object.fromEntries(burst.statuses) };
    if (!json) console.log(`sustained, 16 in flight: ${b.n} signals  ${Math.round(burst.rps)} signals/s  ack p50 ${fmt(b.p50)}  p99 ${fmt(b.p99)}  (${statusText(burst.statuses)})`);

    if (fillCount > 0) {
      const fills = await signalToFill(api, host, fillBot, fillCount);
      const f = summarize(fills.samples);
      const o = summarize(fills.toOrder);
      results.signalToFill = { ...f, barDriven: fills.barDriven };
      results.signalToAcceptedOrder = o;
      if (!json && o.n > 0) console.log(`signal → order accepted on the paper book: ${o.n} signals  p50 ${fmt(o.p50)}  p90 ${fmt(o.p90)}  p99 ${fmt(o.p99)}  max ${fmt(o.max)}`);
      if (!json) console.log(`signal → paper fill: ${f.n} signals  p50 ${fmt(f.p50)}  p90 ${fmt(f.p90)}  p99 ${fmt(f.p99)}  max ${fmt(f.max)}${fills.barDriven ? '  (fills at the next bar, posted after each ack)' : ''}`);
    }
    if (json) console.log(JSON.stringify(results, null, 2));
  } finally {
    api.agent.destroy();
    await host.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
