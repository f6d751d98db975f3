/**
 * PATCH /api/connections/{id} with If-Match: change label, mode, credentials or paper settings.
 * New credentials are written under a new secret name first and only become current when the
 * record update (IfMatch) succeeds; the old secret is removed afterwards.
 */
import { app } from '@azure/functions';
import { appError, err, ok } from '../shared/core/result.js';
import { applyConnectionPatch, toConnectionView } from '../shared/domain/connection.js';
import { deleteCredentials, saveCredentials } from '../shared/adapters/exchanges/connection-credentials.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { connectionIdParams } from '../shared/http/route-params.js';
import { patchConnectionBodySchema } from '../shared/schemas/connection-schemas.js';
import * as runtime from './runtime.js';

app.http(
  'connections-update',
  apiFunction(runtime, {
    methods: ['PATCH'],
    route: 'connections/{id}',
    auth: { allow: 'principal', scope: 'trade' },
    params: connectionIdParams,
    body: patchConnectionBodySchema,
    handle: async ({ auth, params, body, request, services, nowMs, log }) => {
      const creds = body.credentials;
      log.keepSecret(creds?.apiKey);
      log.keepSecret(creds?.secret);
      log.keepSecret(creds?.passphrase);
      const ifMatch = request.headers.get('if-match');
      if (!ifMatch) return err(appError('PRECONDITION_REQUIRED', 'Send the ETag you read as If-Match, so a concurrent change is not overwritten.'));

      const current = await services.connections.get(auth.tenantId, params.id);
      if (!current.ok) return current;
      if (current.value.etag !== ifMatch) {
        return err(appError('CONFLICT', 'The connection changed since you read it (ETag mismatch). Read it again and retry.', { reason: 'etag-mismatch' }));
      }
      const before = current.value.record;
      const revision = creds ? await saveCredentials(services.secrets, auth.tenantId, before.id, creds) : null;
      const discardNew = () => deleteCredentials(services.secrets, auth.tenantId, before.id, revision);

      const next = applyConnectionPatch(before, body, revision, nowMs);
      if (!next.ok) {
        await discardNew();
        return next;
      }
      const saved = await services.connections.replace(auth.tenantId, next.value, ifMatch).catch(async (e: unknown) => {
        await discardNew();
        throw e;
      });
      if (!saved.ok) {
        await discardNew();
        return saved;
      }
      if (creds && before.credentialsRevision !== null) {
        await deleteCredentials(services.secrets, auth.tenantId, before.id, before.credentialsRevision).catch((e: unknown) =>
          log.warn(`connection ${before.id}: old credentials revision could not be removed: ${e instanceof Error ? e.message : String(e)}`),
        );
      }
      log.info(`connection ${before.id} updated (${Object.keys(body).join(', ')})`);
      const view = toConnectionView(saved.value.record, saved.value.etag);
      return ok(reply.ok(view, { etag: view.etag }));
    },
  }),
);
