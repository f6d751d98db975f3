/**
 * Local HTTP function latency through the real host (route matching, library invocation model, hooks):
 * p50/p99 at concurrency 1 and 16 against a trivial function of the sample app.
 * Usage: npm run bench:http [-- --requests 5000] [--json]
 */
import { Agent, request } from 'node:http';
import { fmt, num, startBenchHost, summarize } from './bench-support.js';

function get(agent: Agent, url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(url, { agent, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - started) / 1e6);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function run(baseUrl: string, concurrency: number, total: number): Promise<{ samples: number[]; rps: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(`${baseUrl}/api/hello/bench?q=1`);
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        samples.push(await get(agent, url));
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { samples, rps: total / elapsed };
}

async function main(): Promise<void> {
  const total = num('requests', 5000);
  const host = await startBenchHost('dist/test/fixtures/sample-app/index.js');
  try {
    await run(host.baseUrl, 4, 1000); // warm-up: JIT, sockets
    const results: Record<string, unknown> = {};
    for (const concurrency of [1, 16]) {
      const { samples, rps } = await run(host.baseUrl, concurrency, total);
      const s = summarize(samples);
      results[`c${concurrency}`] = { ...s, rps: Math.round(rps) };
      if (!process.argv.includes('--json')) {
        console.log(`concurrency ${String(concurrency).padStart(2)}: ${total} requests  p50 ${fmt(s.p50)}  p90 ${fmt(s.p90)}  p99 ${fmt(s.p99)}  max ${fmt(s.max)}  ${Math.round(rps)} req/s`);
      }
    }
    if (process.argv.includes('--json')) console.log(JSON.stringify(results));
  } finally {
    await host.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
