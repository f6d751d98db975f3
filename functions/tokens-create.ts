/** POST /api/tokens: create a personal API token. The token is in this answer only; the store keeps its hash. */
import { app } from '@azure/functions';
import { appError, err, ok } from '../shared/core/result.js';
import { MAX_ACTIVE_TOKENS_PER_TENANT, newApiTokenRecord, toApiTokenView } from '../shared/domain/api-token.js';
import { issueApiToken } from '../shared/auth/api-token-codec.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { createTokenBodySchema, type CreatedTokenBody } from '../shared/schemas/token-schemas.js';
import * as runtime from './runtime.js';

app.http(
  'tokens-create',
  apiFunction(runtime, {
    methods: ['POST'],
    route: 'tokens',
    // A token must not mint tokens: a leaked one would otherwise outlive its own expiry.
    auth: { allow: 'principal', scope: 'trade' },
    body: createTokenBodySchema,
    handle: async ({ auth, body, services, nowMs, log }) => {
      if ((await services.tokens.countActive(auth.tenantId, nowMs)) >= MAX_ACTIVE_TOKENS_PER_TENANT) {
        return err(appError('LIMIT.TOO_MANY_TOKENS', `At most ${MAX_ACTIVE_TOKENS_PER_TENANT} unexpired tokens; revoke one first.`));
      }
      const issued = issueApiToken(auth.tenantId);
      log.keepSecret(issued.token);
      const record = newApiTokenRecord(
        { id: issued.tokenId, tenantId: auth.tenantId, name: body.name, scopes: body.scopes, tokenHash: issued.tokenHash, lifetimeDays: body.expiresInDays },
        nowMs,
      );
      await services.tokens.create(auth.tenantId, record);
      log.info(`token ${record.id} created with scopes ${record.scopes.join(',')}`);
      const answer: CreatedTokenBody = { ...toApiTokenView(record, nowMs), token: issued.token };
      return ok(reply.created(answer));
    },
  }),
);
