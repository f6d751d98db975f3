/** GET /api/backtests: the tenant's backtests, newest first, paged. */
import { app } from '@azure/functions';
import { jobListFunction } from '../shared/backtests/job-functions.js';
import * as runtime from './runtime.js';

app.http('backtests-list', jobListFunction(runtime, 'backtest'));
