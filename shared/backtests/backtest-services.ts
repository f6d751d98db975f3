/**
 * Composition root of the backtest and optimization routes and the background runner: one per
 * process, over the ensured Cosmos schema. The edge (authentication, limits, error table) is the
 * API's own, from shared/http/api-services.ts.
 */
import { BacktestJobsRepository } from '../adapters/cosmos/backtest-jobs-repository.js';
import { ensureCosmosSchema } from '../adapters/cosmos/ensure-cosmos-schema.js';
import type { EdgeDeps } from '../http/api-handler.js';
import { apiEdgeDeps, type FunctionRuntime } from '../http/api-services.js';
import { BacktestRunner, type RunnerLog } from './backtest-runner.js';
import { cosmosCandleSource } from './cosmos-candle-source.js';
import type { CandleSource } from './candle-source.js';
import { threadJobExecutor } from './job-executor.js';

export interface BacktestServices {
  readonly jobs: BacktestJobsRepository;
  readonly candles: CandleSource;
  readonly runner: BacktestRunner;
}

/** Background work has no invocation context; its lines carry ids only, never settings or data. */
const consoleLog: RunnerLog = {
  info: (m) => console.info(`[backtests] ${m}`),
  warn: (m) => console.warn(`[backtests] ${m}`),
  error: (m) => console.error(`[backtests] ${m}`),
};

let services: Promise<BacktestServices> | undefined;

export function backtestServices(runtime: FunctionRuntime): Promise<BacktestServices> {
  if (!services) {
    services = build(runtime);
    services.catch(() => (services = undefined));
  }
  return services;
}

async function build(runtime: FunctionRuntime): Promise<BacktestServices> {
  const config = runtime.functionsConfig();
  const schema = await ensureCosmosSchema(runtime.cosmosClient(), config.COSMOS_DATABASE);
  const jobs = new BacktestJobsRepository(schema.containers.backtests);
  const candles = cosmosCandleSource(runtime.cosmosClient(), config.COSMOS_DATABASE);
  const runner = new BacktestRunner({ jobs, candles, executor: threadJobExecutor(), log: consoleLog, nowMs: () => Date.now() });
  return { jobs, candles, runner };
}

export async function backtestEdgeDeps(runtime: FunctionRuntime): Promise<EdgeDeps<BacktestServices>> {
  const [edge, own] = await Promise.all([apiEdgeDeps(runtime), backtestServices(runtime)]);
  return { authenticate: edge.authenticate, nowMs: () => edge.nowMs(), services: own };
}
