/** GET /api/optimizations/{id}: status and progress, and the results once it succeeded. */
import { app } from '@azure/functions';
import { jobGetFunction } from '../shared/backtests/job-functions.js';
import * as runtime from './runtime.js';

app.http('optimizations-get', jobGetFunction(runtime, 'optimization'));
