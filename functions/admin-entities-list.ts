/**
 * GET /api/admin/entities?name=bot|account (role admin): the caller's tenant's entities with a state
 * summary, paged.
 */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { adminEntitiesQuerySchema } from '../shared/schemas/bots-schemas.js';
import { ADMIN_ROUTE_PREFIX, listTenantEntities } from './admin-support.js';
import { entityPortFor, withDurableClient } from './bots-durable.js';
import { requireAdmin } from './bots-support.js';
import * as runtime from './runtime.js';

app.http(
  'admin-entities-list',
  withDurableClient(
    apiFunction(runtime, {
      methods: ['GET'],
      route: `${ADMIN_ROUTE_PREFIX}/entities`,
      auth: { allow: 'principal', scope: 'read' },
      query: adminEntitiesQuerySchema,
      handle: async ({ auth, query, request }) => {
        const admin = requireAdmin(auth);
        if (!admin.ok) return admin;
        const page = await listTenantEntities(entityPortFor(request), auth.tenantId, query.name, query);
        if (!page.ok) return page;
        return ok(reply.ok(page.value));
      },
    }),
  ),
);
