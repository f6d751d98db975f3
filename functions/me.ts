/** GET /api/me: who the caller is, as the API sees it. */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import * as runtime from './runtime.js';

app.http(
  'me',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'me',
    auth: { allow: 'principal-or-token', scope: 'read' },
    handle: ({ auth }) =>
      Promise.resolve(
        ok(
          reply.ok({
            tenantId: auth.tenantId,
            displayName: auth.displayName,
            identityProvider: auth.identityProvider,
            roles: auth.roles,
            authenticatedBy: auth.via,
            scopes: auth.scopes,
          }),
        ),
      ),
  }),
);
