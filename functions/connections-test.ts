/**
 * POST /api/connections/{id}/test: check the stored credentials against the exchange (balance fetch;
 * live keys able to withdraw are refused) and store the result with its timestamp.
 */
import { app } from '@azure/functions';
import { appError, err, ok } from '../shared/core/result.js';
import { toConnectionView, withTestResult } from '../shared/domain/connection.js';
import { loadCredentials } from '../shared/adapters/exchanges/connection-credentials.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { connectionIdParams } from '../shared/http/route-params.js';
import * as runtime from './runtime.js';

app.http(
  'connections-test',
  apiFunction(runtime, {
    methods: ['POST'],
    route: 'connections/{id}/test',
    auth: { allow: 'principal-or-token', scope: 'trade' },
    params: connectionIdParams,
    handle: async ({ auth, params, services, log }) => {
      const current = await services.connections.get(auth.tenantId, params.id);
      if (!current.ok) return current;
      const record = current.value.record;
      const credentials = await loadCredentials(services.secrets, auth.tenantId, record.id, record.credentialsRevision);
      log.keepSecret(credentials?.apiKey);
      log.keepSecret(credentials?.secret);
      log.keepSecret(credentials?.passphrase);
      const result = await services.tester.test({ exchangeId: record.exchangeId, mode: record.mode, credentials, paper: record.paper }, log);
      log.info(`connection ${record.id} tested: ${result.code}`);

      let saved = await services.connections.replace(auth.tenantId, withTestResult(record, result), current.value.etag);
      if (!saved.ok && saved.error.code === 'CONFLICT') {
        // Changed during the test (e.g. its label): the result still holds if credentials and mode did not change.
        const latest = await services.connections.get(auth.tenantId, record.id);
        if (!latest.ok) return latest;
        const now = latest.value.record;
        if (now.credentialsRevision !== record.credentialsRevision || now.mode !== record.mode) {
          return err(appError('CONFLICT', 'The connection changed while it was being tested; test it again.', { reason: 'changed-during-test' }));
        }
        saved = await services.connections.replace(auth.tenantId, withTestResult(now, result), latest.value.etag);
      }
      if (!saved.ok) return saved;
      const view = toConnectionView(saved.value.record, saved.value.etag);
      return ok(reply.ok({ test: result, connection: view }, { etag: view.etag }));
    },
  }),
);
