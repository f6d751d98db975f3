/** GET /api/optimizations: the tenant's optimizations, newest first, paged. */
import { app } from '@azure/functions';
import { jobListFunction } from '../shared/backtests/job-functions.js';
import * as runtime from './runtime.js';

app.http('optimizations-list', jobListFunction(runtime, 'optimization'));
