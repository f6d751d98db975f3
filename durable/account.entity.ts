/**
 * The account entity (key `{tenantId}:{connectionId}`): serializes one exchange account's orders and,
 * for paper connections, is the paper exchange (books, balances, open orders, the per-market bar
 * barrier). Thin: the pure core decides (`handleAccountOperation`), the entity sends and saves.
 */
import * as df from 'durable-functions';
import { botEntityKey, parseTenantKey } from '../shared/bots/entity-keys.js';
import { ENTITY } from '../shared/entity-names.js';
import { handleAccountOperation } from '../shared/paper/account-operations.js';
import type { PaperAccountState } from '../shared/paper/paper-account.js';

df.app.entity(ENTITY.account, (context) => {
  const operation = context.df.operationName ?? '';
  const key = parseTenantKey(context.df.entityKey);
  if (!key.ok) {
    context.error(`account ${context.df.entityKey}: ${key.error.message}`);
    return;
  }
  const current = context.df.getState() as PaperAccountState | undefined;
  const result = handleAccountOperation(current, { tenantId: key.value.tenantId, connectionId: key.value.id }, operation, context.df.getInput(), Date.now());
  if (!result.ok) {
    context.error(`account ${context.df.entityKey}.${operation}: ${result.error.code} ${result.error.message}`);
    return;
  }
  const { state, signals, notes } = result.value;
  for (const note of notes) context.log(`account ${context.df.entityKey}.${operation}: ${note}`);
  for (const signal of signals) context.df.signalEntity(new df.EntityId(ENTITY.bot, botEntityKey(key.value.tenantId, signal.botId)), signal.op, signal.input);
  if (state !== null && state !== current) context.df.setState(state);
});
