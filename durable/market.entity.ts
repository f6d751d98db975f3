/**
 * The market entity (key `{exchange}:{symbol}:{timeframe}`): which bots trade the market, and the
 * fan-out of closed bars to their accounts (one signal per account). No I/O.
 */
import * as df from 'durable-functions';
import { handleMarketOperation, type MarketIndexState } from '../shared/bots/market-subscriptions.js';
import { ENTITY } from '../shared/entity-names.js';

df.app.entity(ENTITY.market, (context) => {
  const operation = context.df.operationName ?? '';
  const current = context.df.getState() as MarketIndexState | undefined;
  const result = handleMarketOperation(current, context.df.entityKey, operation, context.df.getInput());
  if (!result.ok) {
    context.error(`market ${context.df.entityKey}.${operation}: ${result.error.code} ${result.error.message}`);
    return;
  }
  for (const signal of result.value.signals) context.df.signalEntity(new df.EntityId(ENTITY.account, signal.accountKey), 'bars', signal.input);
  if (result.value.state !== null && result.value.state !== current) context.df.setState(result.value.state);
});
