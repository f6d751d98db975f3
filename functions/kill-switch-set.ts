/**
 * POST /api/kill-switch `{ "engaged": true|false, "flatten"?: boolean }`.
 *
 * Engaging records the switch first (so every start or resume from then on is refused), then sends
 * every bot of the tenant its one kill-switch operation — `stop` (cancel orders), or `kill` (cancel
 * and flatten) with `flatten: true` — and waits for each to apply. Engaging again repeats the sweep.
 * Releasing only lifts the block; stopped bots stay stopped until someone starts them.
 */
import { app } from '@azure/functions';
import type { KillSwitchBotAction, KillSwitchRecord } from '../shared/adapters/cosmos/kill-switch-repository.js';
import type { BotDocument } from '../shared/bots/bot-records.js';
import { ok, type Result } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { killSwitchBodySchema } from '../shared/schemas/bots-schemas.js';
import { entityPortFor, withDurableClient } from './bots-durable.js';
import { actorOf, botServices, TenantBotEntities, type BotServices } from './bots-support.js';
import { applyKillSwitch, toKillSwitchView } from './kill-switch-support.js';
import * as runtime from './runtime.js';

/** Bots handled at once during a sweep. */
const SWEEP_CONCURRENCY = 8;
const SAVE_ATTEMPTS = 5;

/** Reads the switch, changes it, and saves it with its ETag; on a concurrent change, again from the top. */
async function update(bots: BotServices, tenantId: string, change: (current: KillSwitchRecord) => KillSwitchRecord): Promise<Result<KillSwitchRecord>> {
  let last: Result<unknown> | undefined;
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
    const current = await bots.killSwitch.get(tenantId);
    const saved = await bots.killSwitch.save(tenantId, change(current.record), current.etag);
    if (saved.ok) return ok(saved.value.record);
    last = saved;
  }
  return last as Result<never>;
}

async function allBots(bots: BotServices, tenantId: string): Promise<Result<BotDocument[]>> {
  const all: BotDocument[] = [];
  let continuation: string | undefined;
  do {
    const page = await bots.records.listBots(tenantId, { limit: 100, continuation });
    if (!page.ok) return page;
    all.push(...page.value.items.map((s) => s.record));
    continuation = page.value.continuationToken ?? undefined;
  } while (continuation !== undefined);
  return ok(all);
}

async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return results;
}

app.http(
  'kill-switch-set',
  withDurableClient(
    apiFunction(runtime, {
      methods: ['POST'],
      route: 'kill-switch',
      auth: { allow: 'principal-or-token', scope: 'trade' },
      body: killSwitchBodySchema,
      handle: async ({ auth, body, request, nowMs, log }) => {
        const bots = await botServices();
        const actor = actorOf(auth);
        const flatten = body.flatten ?? false;
        const changed = await update(bots, auth.tenantId, (current) =>
          body.engaged
            ? { ...current, engaged: true, flatten, changedBy: actor, changedAtMs: nowMs, engagedAtMs: current.engaged ? current.engagedAtMs : nowMs }
            : { ...current, engaged: false, flatten: false, changedBy: actor, changedAtMs: nowMs, engagedAtMs: null },
        );
        if (!changed.ok) return changed;
        log.info(`kill switch ${body.engaged ? `engaged${flatten ? ' (flatten)' : ''}` : 'released'} by ${actor}`);
        if (!body.engaged) return ok(reply.ok(toKillSwitchView(changed.value)));

        const docs = await allBots(bots, auth.tenantId);
        if (!docs.ok) return docs;
        const entities = new TenantBotEntities(entityPortFor(request), auth.tenantId);
        const actions = await inBatches(docs.value, SWEEP_CONCURRENCY, async (doc): Promise<KillSwitchBotAction> => {
          // The entity, not the document, says what state the bot is in now.
          const state = await entities.read(doc.id);
          if (!state) return { botId: doc.id, action: 'none', statusBefore: doc.status, statusAfter: null };
          return applyKillSwitch(entities, bots.records, state, flatten, Date.now());
        });
        const acted = actions.filter((a) => a.action !== 'none');
        log.info(`kill switch: ${acted.length} of ${actions.length} bot(s) sent stop/kill; now ${acted.map((a) => `${a.botId}=${a.statusAfter ?? 'pending'}`).join(', ') || 'none active'}`);
        const recorded = await update(bots, auth.tenantId, (current) => ({ ...current, lastRun: { atMs: nowMs, bots: actions } }));
        if (!recorded.ok) return recorded;
        return ok(reply.ok(toKillSwitchView(recorded.value)));
      },
    }),
  ),
);
