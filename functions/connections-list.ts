/** GET /api/connections: the tenant's exchange connections, newest first, paged. */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { toConnectionView } from '../shared/domain/connection.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { listQuerySchema } from '../shared/schemas/paging-schemas.js';
import * as runtime from './runtime.js';

app.http(
  'connections-list',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'connections',
    auth: { allow: 'principal-or-token', scope: 'read' },
    query: listQuerySchema,
    handle: async ({ auth, query, services }) => {
      const page = await services.connections.list(auth.tenantId, query);
      if (!page.ok) return page;
      return ok(reply.ok({ items: page.value.items.map((s) => toConnectionView(s.record, s.etag)), continuationToken: page.value.continuationToken }));
    },
  }),
);
