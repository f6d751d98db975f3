/** One shape for the paged record routes of a bot (orders, equity): find the bot in the tenant, page its records, map to views. */
import { app } from '@azure/functions';
import type { BotRecordsRepository } from '../shared/adapters/cosmos/bot-records-repository.js';
import type { PageRequest, StoredPage } from '../shared/adapters/cosmos/tenant-scoped.js';
import { ok, type Result } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { botIdParams } from '../shared/schemas/bots-schemas.js';
import { listQuerySchema } from '../shared/schemas/paging-schemas.js';
import { botServices, findBotDocument } from './bots-support.js';
import * as runtime from './runtime.js';

export function registerBotRecordsRoute<R>(
  name: string,
  route: string,
  list: (records: BotRecordsRepository, tenantId: string, botId: string, page: PageRequest) => Promise<Result<StoredPage<R>>>,
  view: (record: R) => unknown,
): void {
  app.http(
    name,
    apiFunction(runtime, {
      methods: ['GET'],
      route,
      auth: { allow: 'principal-or-token', scope: 'read' },
      params: botIdParams,
      query: listQuerySchema,
      handle: async ({ auth, params, query }) => {
        const { records } = await botServices();
        const bot = await findBotDocument(records, auth.tenantId, params.id);
        if (!bot.ok) return bot;
        const page = await list(records, auth.tenantId, params.id, query);
        if (!page.ok) return page;
        return ok(reply.ok({ items: page.value.items.map((s) => view(s.record)), continuationToken: page.value.continuationToken }));
      },
    }),
  );
}
