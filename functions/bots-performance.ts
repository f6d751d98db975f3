/**
 * GET /api/bots/{id}/performance: the backtester's statistics (same `computeStatistics`) over the
 * bot's equity snapshots and the trades its fills make, plus those trades. Reads every snapshot and
 * fill of the bot (pages of 100); fine for the bars a bot accumulates in months, see docs/api.md.
 */
import { app } from '@azure/functions';
import type { BotEquityRecord, BotEvent } from '../shared/bots/bot-records.js';
import { paperFillSchema, type PaperFill } from '../shared/bots/execution-messages.js';
import type { StoredPage } from '../shared/adapters/cosmos/tenant-scoped.js';
import { ok, type Result } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { getStrategy } from '../shared/trading/strategies/registry.js';
import { botIdParams } from '../shared/schemas/bots-schemas.js';
import { botPerformance } from '../shared/schemas/bots-performance.js';
import { entityPortFor, withDurableClient } from './bots-durable.js';
import { botNotFound, botServices, TenantBotEntities } from './bots-support.js';
import * as runtime from './runtime.js';

const PAGE = 100;

async function readAll<T>(fetchPage: (continuation: string | undefined) => Promise<Result<StoredPage<T>>>): Promise<Result<T[]>> {
  const all: T[] = [];
  let continuation: string | undefined;
  do {
    const page = await fetchPage(continuation);
    if (!page.ok) return page;
    for (const item of page.value.items) all.push(item.record);
    continuation = page.value.continuationToken ?? undefined;
  } while (continuation !== undefined);
  return ok(all);
}

app.http(
  'bots-performance',
  withDurableClient(
    apiFunction(runtime, {
      methods: ['GET'],
      route: 'bots/{id}/performance',
      auth: { allow: 'principal-or-token', scope: 'read' },
      params: botIdParams,
      handle: async ({ auth, params, request }) => {
        const state = await new TenantBotEntities(entityPortFor(request), auth.tenantId).read(params.id);
        if (!state) return botNotFound();
        const { records } = await botServices();
        const [equity, events] = await Promise.all([
          readAll<BotEquityRecord>((continuation) => records.listEquity(auth.tenantId, params.id, { limit: PAGE, continuation })),
          readAll<BotEvent>((continuation) => records.listEvents(auth.tenantId, params.id, { limit: PAGE, continuation }, ['fill'])),
        ]);
        if (!equity.ok) return equity;
        if (!events.ok) return events;
        const fills = events.value
          .flatMap((e) => {
            const fill = paperFillSchema.safeParse(e.data);
            return fill.success ? [{ fill: fill.data, seq: e.seq }] : [];
          })
          .sort((a, b) => a.fill.timeMs - b.fill.timeMs || a.seq - b.seq)
          .map((f): PaperFill => f.fill);
        const snapshots = [...equity.value].sort((a, b) => a.barTimeMs - b.barTimeMs);
        const { config, connection } = state.machine;
        // The capital the bot's book was opened with (see the entity's attach).
        const initialCash = config.capital ?? connection?.paper?.startingBalance.amount ?? snapshots[0]?.equity ?? 0;
        const strategy = getStrategy(config.strategy.id);
        const warmup = strategy.ok ? strategy.value.warmup(config.strategy.params) : 0;
        return ok(reply.ok({ botId: params.id, ...botPerformance(snapshots, fills, initialCash, warmup) }));
      },
    }),
  ),
);
