/** DELETE /api/tokens/{id}: revoke a token; it stops working on the next request. */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { tokenIdParams } from '../shared/http/route-params.js';
import * as runtime from './runtime.js';

app.http(
  'tokens-revoke',
  apiFunction(runtime, {
    methods: ['DELETE'],
    route: 'tokens/{id}',
    auth: { allow: 'principal', scope: 'trade' },
    params: tokenIdParams,
    handle: async ({ auth, params, services, log }) => {
      const deleted = await services.tokens.delete(auth.tenantId, params.id);
      if (!deleted.ok) return deleted;
      log.info(`token ${params.id} revoked`);
      return ok(reply.noContent());
    },
  }),
);
