/** GET /api/kill-switch: whether the tenant's kill switch is engaged, and what its last engagement did to each bot. */
import { app } from '@azure/functions';
import { ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { botServices } from './bots-support.js';
import { toKillSwitchView } from './kill-switch-support.js';
import * as runtime from './runtime.js';

app.http(
  'kill-switch-get',
  apiFunction(runtime, {
    methods: ['GET'],
    route: 'kill-switch',
    auth: { allow: 'principal-or-token', scope: 'read' },
    handle: async ({ auth }) => {
      const { killSwitch } = await botServices();
      return ok(reply.ok(toKillSwitchView((await killSwitch.get(auth.tenantId)).record)));
    },
  }),
);
