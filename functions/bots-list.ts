/** GET /api/bots: the tenant's bots (from their documents), newest first, paged. Single-bot reads add the runtime view. */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { listQuerySchema } from '../shared/schemas/paging-schemas.js';
import { botViewFromDocument } from '../shared/schemas/bots-views.js';
import { botServices, connectionModes } from './bots-support.js';
import * as runtime from './runtime.js';

app.http(
  'bots-list',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'bots',
    auth: { allow: 'principal-or-token', scope: 'read' },
    query: listQuerySchema,
    handle: async ({ auth, query, services }) => {
      const { records } = await botServices();
      const page = await records.listBots(auth.tenantId, query);
      if (!page.ok) return page;
      const docs = page.value.items.map((s) => s.record);
      const modes = await connectionModes(services.connections, auth.tenantId, docs.map((d) => d.connectionId));
      return ok(reply.ok({ items: docs.map((d) => botViewFromDocument(d, modes.get(d.connectionId) ?? null)), continuationToken: page.value.continuationToken }));
    },
  }),
);
