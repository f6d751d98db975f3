/** GET /api/admin/entities/{name}/{id} (role admin): the full state of one of the tenant's bot or account entities. */
import { app } from '@azure/functions';
import { appError, err, ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { adminEntityParams } from '../shared/schemas/bots-schemas.js';
import { ADMIN_ROUTE_PREFIX, entityNameFor, summarize } from './admin-support.js';
import { entityPortFor, withDurableClient } from './bots-durable.js';
import { requireAdmin } from './bots-support.js';
import * as runtime from './runtime.js';

app.http(
  'admin-entities-get',
  withDurableClient(
    apiFunction(runtime, {
      methods: ['GET'],
      route: `${ADMIN_ROUTE_PREFIX}/entities/{name}/{key}`,
      auth: { allow: 'principal', scope: 'read' },
      params: adminEntityParams,
      handle: async ({ auth, params, request }) => {
        const admin = requireAdmin(auth);
        if (!admin.ok) return admin;
        const read = await entityPortFor(request).read(entityNameFor(params.name), `${auth.tenantId}:${params.key}`);
        if (!read.exists) return err(appError('NOT_FOUND', `No such ${params.name} entity.`));
        return ok(reply.ok({ name: params.name, id: params.key, summary: summarize(params.name, read.state), state: read.state }));
      },
    }),
  ),
);
