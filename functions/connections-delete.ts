/** DELETE /api/connections/{id} (If-Match optional): refused with 409 while an active bot uses it. */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { deleteCredentials } from '../shared/adapters/exchanges/connection-credentials.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { connectionIdParams } from '../shared/http/route-params.js';
import * as runtime from './runtime.js';

app.http(
  'connections-delete',
  apiFunction(runtime, {
    methods: ['DELETE'],
    route: 'connections/{id}',
    auth: { allow: 'principal', scope: 'trade' },
    params: connectionIdParams,
    handle: async ({ auth, params, request, services, log }) => {
      const current = await services.connections.get(auth.tenantId, params.id);
      if (!current.ok) return current;
      const deleted = await services.connections.delete(auth.tenantId, params.id, request.headers.get('if-match') ?? undefined);
      if (!deleted.ok) return deleted;
      // The record is gone, so nothing reads the secret any more; a failure here leaves an orphan, not a leak.
      await deleteCredentials(services.secrets, auth.tenantId, params.id, current.value.record.credentialsRevision).catch((e: unknown) =>
        log.warn(`connection ${params.id}: credentials could not be removed from the secret store: ${e instanceof Error ? e.message : String(e)}`),
      );
      log.info(`connection ${params.id} deleted`);
      return ok(reply.noContent());
    },
  }),
);
