/**
 * Every 15 seconds: claim backtests and optimizations that wait for a worker (or whose worker died)
 * and run them; the execution lasts until this process is idle, so the platform keeps the instance
 * while runs compute. New jobs are also started right away by the POST that queued them.
 */
import { app } from '@azure/functions';
import { backtestServices } from '../shared/backtests/backtest-services.js';
import * as runtime from './runtime.js';

app.timer('backtests-sweeper', {
  schedule: '*/15 * * * * *',
  runOnStartup: true,
  handler: async () => {
    const services = await backtestServices(runtime);
    await services.runner.sweep();
  },
});
