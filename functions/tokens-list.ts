/** GET /api/tokens: the tenant's tokens (never the tokens themselves), newest first, paged. */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { toApiTokenView } from '../shared/domain/api-token.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { listQuerySchema } from '../shared/schemas/paging-schemas.js';
import * as runtime from './runtime.js';

app.http(
  'tokens-list',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'tokens',
    auth: { allow: 'principal', scope: 'read' },
    query: listQuerySchema,
    handle: async ({ auth, query, services, nowMs }) => {
      const page = await services.tokens.list(auth.tenantId, query);
      if (!page.ok) return page;
      return ok(reply.ok({ items: page.value.items.map((s) => toApiTokenView(s.record, nowMs)), continuationToken: page.value.continuationToken }));
    },
  }),
);
