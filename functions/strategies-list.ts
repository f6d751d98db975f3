/** GET /api/strategies: the built-in strategies with the JSON Schema of their params and the defaults. */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { strategyCatalog } from '../shared/backtests/strategy-catalog.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import * as runtime from './runtime.js';

app.http(
  'strategies-list',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'strategies',
    auth: { allow: 'principal-or-token', scope: 'read' },
    handle: () => Promise.resolve(ok(reply.ok({ items: strategyCatalog() }))),
  }),
);
