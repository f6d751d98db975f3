/**
 * The bot entity (key `{tenantId}:{botId}`). Thin: parse and decide in the pure core
 * (`handleBotOperation`), write the records, send the signals, save the state — state last, so a
 * failed write changes nothing (Azure keeps a failed operation's earlier `setState`). Operations and
 * their inputs: docs/bots.md.
 */
import * as df from 'durable-functions';
import type { EntityContext, EntityHandler } from 'durable-functions';
import { handleBotOperation, type BotEntityState, type BotWrites } from '../shared/bots/bot-operations.js';
import { parseTenantKey } from '../shared/bots/entity-keys.js';
import { handleSignalOperation, SIGNAL_OPERATION } from '../shared/bots/signal-operation.js';
import { ENTITY } from '../shared/entity-names.js';
import { botLiveUpdate, tenantBotsGroup } from '../shared/schemas/bot-live-update.js';
import { botLiveUpdates, botRecords } from './execution-services.js';

async function botOperation(context: EntityContext<BotEntityState>): Promise<void> {
  const operation = context.df.operationName ?? '';
  const key = parseTenantKey(context.df.entityKey);
  if (!key.ok) {
    context.error(`bot ${context.df.entityKey}: ${key.error.message}`);
    return;
  }
  const current = context.df.getState();
  // `signal` (webhook signals, docs/webhooks.md) is handled beside the commands, with the same result shape.
  const result =
    operation === SIGNAL_OPERATION
      ? handleSignalOperation(current, context.df.getInput(), Date.now())
      : handleBotOperation(current, { tenantId: key.value.tenantId, botId: key.value.id }, operation, context.df.getInput(), Date.now());
  if (!result.ok) {
    // Malformed input: nothing changes; the caller validated it first, so this is a bug worth a log line.
    context.error(`bot ${context.df.entityKey}.${operation}: ${result.error.code} ${result.error.message}`);
    return;
  }
  const { state, signals, writes, rejected } = result.value;
  if (rejected) context.log(`bot ${context.df.entityKey}.${operation} rejected: ${rejected.code} ${rejected.message}`);
  await (await botRecords()).write(writes);
  publishLiveUpdate(key.value, state, writes);
  for (const signal of signals) context.df.signalEntity(new df.EntityId(ENTITY[signal.entity], signal.key), signal.op, signal.input);
  if (state === null) {
    if (current) context.df.destructOnExit();
  } else if (state !== current) {
    context.df.setState(state);
  }
}

/** Best effort and never awaited: the records are written, and a slow or absent Web PubSub must not hold up trading. */
function publishLiveUpdate(key: { tenantId: string; id: string }, state: BotEntityState | null, writes: BotWrites): void {
  const publisher = botLiveUpdates();
  if (!publisher) return;
  const update = botLiveUpdate(key.id, state, writes, Date.now());
  if (update) publisher.push(tenantBotsGroup(key.tenantId), update);
}

// The library awaits what the handler returns (Entity.js: `yield Promise.resolve(this.fn(context))`), though its type says void.
df.app.entity(ENTITY.bot, botOperation as unknown as EntityHandler<BotEntityState>);
