/** DELETE /api/backtests/{id}: removes it and its results; a running one is cancelled. */
import { app } from '@azure/functions';
import { jobDeleteFunction } from '../shared/backtests/job-functions.js';
import * as runtime from './runtime.js';

app.http('backtests-delete', jobDeleteFunction(runtime, 'backtest'));
