/** POST /api/optimizations: queue a optimization on an uploaded CSV (text/csv) or on stored candles (JSON); answers 202. */
import { app } from '@azure/functions';
import { jobCreateFunction } from '../shared/backtests/job-functions.js';
import * as runtime from './runtime.js';

app.http('optimizations-create', jobCreateFunction(runtime, 'optimization'));
