/** Worker thread of one backtest: the engine and the output summary run here, off the API's event loop. */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runBacktest } from '../trading/backtest/backtest-engine.js';
import { getStrategy } from '../trading/strategies/registry.js';
import { backtestOutput } from './backtest-output.js';
import type { BacktestTask } from './job-executor.js';

function run(task: BacktestTask): { ok: true; output: ReturnType<typeof backtestOutput> } | { ok: false; message: string } {
  const strategy = getStrategy(task.strategyId);
  if (!strategy.ok) return { ok: false, message: strategy.error.message };
  try {
    return { ok: true, output: backtestOutput(task.series, runBacktest(task.series, strategy.value, task.params, task.config)) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

if (!isMainThread && parentPort !== null) parentPort.postMessage(run(workerData as BacktestTask));
