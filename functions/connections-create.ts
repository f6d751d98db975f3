/** POST /api/connections: add an exchange connection; credentials go to the secret store, never to Cosmos. */
import { randomUUID } from 'node:crypto';
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { newConnectionRecord, toConnectionView } from '../shared/domain/connection.js';
import { deleteCredentials, saveCredentials } from '../shared/adapters/exchanges/connection-credentials.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { createConnectionBodySchema } from '../shared/schemas/connection-schemas.js';
import * as runtime from './runtime.js';

app.http(
  'connections-create',
  apiFunction(runtime, {
    methods: ['POST'],
    route: 'connections',
    auth: { allow: 'principal', scope: 'trade' },
    body: createConnectionBodySchema,
    handle: async ({ auth, body, services, nowMs, log }) => {
      const creds = body.credentials;
      log.keepSecret(creds?.apiKey);
      log.keepSecret(creds?.secret);
      log.keepSecret(creds?.passphrase);
      const id = randomUUID().replace(/-/g, '');
      const revision = creds ? await saveCredentials(services.secrets, auth.tenantId, id, creds) : null;
      const record = newConnectionRecord(auth.tenantId, id, body, revision, nowMs);
      if (!record.ok) {
        await deleteCredentials(services.secrets, auth.tenantId, id, revision);
        return record;
      }
      try {
        const created = await services.connections.create(auth.tenantId, record.value);
        log.info(`connection ${id} created (${record.value.exchangeId}, ${record.value.mode})`);
        const view = toConnectionView(created.record, created.etag);
        return ok(reply.created(view, { etag: view.etag, location: `/api/connections/${id}` }));
      } catch (e) {
        await deleteCredentials(services.secrets, auth.tenantId, id, revision);
        throw e;
      }
    },
  }),
);
