/** GET /api/connections/{id}: one connection with its ETag (send it back as If-Match to change it). */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { toConnectionView } from '../shared/domain/connection.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { connectionIdParams } from '../shared/http/route-params.js';
import * as runtime from './runtime.js';

app.http(
  'connections-get',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'connections/{id}',
    auth: { allow: 'principal-or-token', scope: 'read' },
    params: connectionIdParams,
    handle: async ({ auth, params, services }) => {
      const found = await services.connections.get(auth.tenantId, params.id);
      if (!found.ok) return found;
      const view = toConnectionView(found.value.record, found.value.etag);
      return ok(reply.ok(view, { etag: view.etag }));
    },
  }),
);
