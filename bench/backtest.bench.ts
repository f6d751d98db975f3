/**
 * `npm run bench:backtest [-- --json]`: backtest throughput through the path the CLI uses.
 *
 * 1. Bars per second per strategy on one core: `runBacktest` (indicators, strategy step, orders, fees,
 *    slippage, equity curve and statistics) over 1,000,000 seeded random-walk bars, default params;
 *    the median of several timed runs after warm-up runs. Each strategy is measured in its own fresh
 *    worker thread (one at a time), like a CLI process that runs one strategy: measuring all eight in
 *    one isolate would time the later ones against JIT feedback polluted by the earlier ones.
 * 2. Optimizer backtests per second: the CLI's worker pool running an sma-cross grid with one worker
 *    and with one per core (alternating, median of several rounds after a warm-up round);
 *    efficiency = runs/s with W workers ÷ (W × runs/s with 1 worker).
 */
import { availableParallelism, loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { BacktestWorkerPool } from '../shared/cli/backtest-worker-pool.js';
import type { BacktestJob } from '../shared/cli/optimize-jobs.js';
import { parseBacktestConfig } from '../shared/trading/backtest/backtest-config.js';
import { runBacktest } from '../shared/trading/backtest/backtest-engine.js';
import type { BacktestConfig } from '../shared/trading/backtest/backtest-types.js';
import { expandGrid } from '../shared/trading/optimize/grid-spec.js';
import { parseStrategyParams, STRATEGIES } from '../shared/trading/strategies/registry.js';
import type { BarSeries } from '../shared/trading/types.js';

const BARS = 1_000_000;
/** The first runs of a fresh isolate are 2-3× slower while V8 tiers up; these are not timed. */
const WARMUP_RUNS = 6;
const TIMED_RUNS = 7;
const OPTIMIZER_BARS = 100_000;
const OPTIMIZER_REPEATS = 5;
const SEED = 20240601;

/** mulberry32: small, fast, deterministic. */
function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Geometric random walk of one-minute bars around 100, 0.1% volatility per bar, with wicks. */
function randomWalkSeries(length: number, seed: number): BarSeries {
  const random = seededRandom(seed);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const s = {
    length,
    timeMs: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
  let price = 100;
  const startMs = Date.UTC(2020, 0, 1);
  for (let i = 0; i < length; i++) {
    const open = price;
    const close = open * Math.exp(0.001 * gaussian());
    s.timeMs[i] = startMs + i * 60_000;
    s.open[i] = open;
    s.close[i] = close;
    s.high[i] = Math.max(open, close) * (1 + 0.0005 * random());
    s.low[i] = Math.min(open, close) * (1 - 0.0005 * random());
    s.volume[i] = Math.floor(1000 + 9000 * random());
    price = close;
  }
  return s;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function benchConfig(): BacktestConfig {
  // What `npm run backtest -- --commission 0.001 --slippage 1 --lot 0.001` builds.
  const parsed = parseBacktestConfig({
    cash: 10_000,
    commission: { rate: 0.001, fixed: 0 },
    slippageBps: 1,
    sizing: { mode: 'fraction', value: 0.9999 },
    lotStep: 0.001,
    shortAllowed: true,
  });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

interface StrategyFigure {
  readonly barsPerSec: number;
  readonly trades: number;
}

function measureStrategy(strategyId: string): StrategyFigure {
  const strategy = STRATEGIES.find((candidate) => candidate.id === strategyId);
  if (strategy === undefined) throw new Error(`unknown strategy ${strategyId}`);
  const params = parseStrategyParams(strategy, {});
  if (!params.ok) throw new Error(params.error.message);
  const series = randomWalkSeries(BARS, SEED);
  const config = benchConfig();
  let trades = 0;
  for (let k = 0; k < WARMUP_RUNS; k++) trades = runBacktest(series, strategy, params.value, config).trades.length;
  const seconds: number[] = [];
  for (let k = 0; k < TIMED_RUNS; k++) {
    const started = process.hrtime.bigint();
    runBacktest(series, strategy, params.value, config);
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return { barsPerSec: Math.round(series.length / median(seconds)), trades };
}

function measureInFreshThread(strategyId: string): Promise<StrategyFigure> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { strategyId } });
    worker.once('message', (figure: StrategyFigure) => resolve(figure));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`bench worker for ${strategyId} exited with ${code}`));
    });
  });
}

async function benchStrategies(): Promise<Record<string, StrategyFigure>> {
  const figures: Record<string, StrategyFigure> = {};
  for (const strategy of STRATEGIES) figures[strategy.id] = await measureInFreshThread(strategy.id);
  return figures;
}

function optimizerJobs(length: number): BacktestJob[] {
  const strategy = STRATEGIES.find((s) => s.id === 'sma-cross')!;
  const combos = expandGrid([
    { name: 'fast', values: [5, 10, 15, 20, 25, 30, 35, 40] },
    { name: 'slow', values: [50, 75, 100, 125, 150, 175, 200] },
  ]);
  return combos.map((raw, id) => {
    const params = parseStrategyParams(strategy, { ...raw, allowShort: true });
    if (!params.ok) throw new Error(params.error.message);
    return { id, params: params.value as Record<string, unknown>, start: 0, end: length };
  });
}

async function timedRun(pool: BacktestWorkerPool, jobs: readonly BacktestJob[]): Promise<number> {
  const started = process.hrtime.bigint();
  await pool.run(jobs);
  return jobs.length / (Number(process.hrtime.bigint() - started) / 1e9);
}

/**
 * Runs/s with one worker and with `workers`, measured in alternating rounds so that a change in
 * background load hits both sides of the efficiency ratio alike.
 */
async function optimizerRates(
  workers: number,
  series: BarSeries,
  config: BacktestConfig,
  jobs: readonly BacktestJob[],
): Promise<{ single: number; parallel: number }> {
  const single = new BacktestWorkerPool({ workers: 1, strategyId: 'sma-cross', config, series });
  const parallel = new BacktestWorkerPool({ workers, strategyId: 'sma-cross', config, series });
  try {
    // Warm-up: thread start, module load, JIT.
    await single.run(jobs);
    await parallel.run(jobs);
    const singleRates: number[] = [];
    const parallelRates: number[] = [];
    for (let k = 0; k < OPTIMIZER_REPEATS; k++) {
      singleRates.push(await timedRun(single, jobs));
      parallelRates.push(await timedRun(parallel, jobs));
    }
    return { single: median(singleRates), parallel: median(parallelRates) };
  } finally {
    await Promise.all([single.close(), parallel.close()]);
  }
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const log = (text: string): void => {
    if (!json) process.stdout.write(text);
  };
  const workers = availableParallelism();
  const load = loadavg()[0]!;
  if (load > workers * 0.5) {
    process.stderr.write(`note: load average ${load.toFixed(1)} on ${workers} cores before the bench; figures are lower than on an idle machine\n`);
  }
  log(`backtest bench: ${BARS.toLocaleString('en-US')} random-walk bars (seed ${SEED}), default params, commission 0.1%, slippage 1 bp; median of ${TIMED_RUNS} runs after ${WARMUP_RUNS} warm-up runs, one fresh thread per strategy\n\n`);

  const strategies = await benchStrategies();
  if (!json) {
    const idWidth = Math.max(...Object.keys(strategies).map((id) => id.length));
    log(`${'strategy'.padEnd(idWidth)}  ${'bars/s'.padStart(12)}  ${'trades'.padStart(7)}\n`);
    for (const [id, f] of Object.entries(strategies)) {
      log(`${id.padEnd(idWidth)}  ${f.barsPerSec.toLocaleString('en-US').padStart(12)}  ${String(f.trades).padStart(7)}\n`);
    }
    log(`${'median'.padEnd(idWidth)}  ${Math.round(median(Object.values(strategies).map((f) => f.barsPerSec))).toLocaleString('en-US').padStart(12)}\n\n`);
  }

  const config = benchConfig();
  const optimizerSeries = randomWalkSeries(OPTIMIZER_BARS, SEED);
  const jobs = optimizerJobs(OPTIMIZER_BARS);
  const { single, parallel } = await optimizerRates(workers, optimizerSeries, config, jobs);
  const efficiency = parallel / (workers * single);
  log(
    `optimizer: sma-cross grid of ${jobs.length} runs × ${OPTIMIZER_BARS.toLocaleString('en-US')} bars, median of ${OPTIMIZER_REPEATS} alternating rounds\n` +
      `  1 worker:  ${single.toFixed(1)} backtests/s\n` +
      `  ${workers} workers: ${parallel.toFixed(1)} backtests/s  (${((parallel * OPTIMIZER_BARS) / 1e6).toFixed(1)}M bars/s)\n` +
      `  scaling efficiency: ${efficiency.toFixed(3)}\n`,
  );

  if (json) {
    const out = {
      strategies: Object.fromEntries(Object.entries(strategies).map(([id, f]) => [id, { barsPerSec: f.barsPerSec }])),
      optimizer: { runsPerSec: Number(parallel.toFixed(2)), workers, efficiency: Number(efficiency.toFixed(4)) },
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  const { strategyId } = workerData as { strategyId: string };
  parentPort!.postMessage(measureStrategy(strategyId));
}
