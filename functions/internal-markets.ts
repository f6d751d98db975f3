/**
 * GET /api/internal/markets (function key): the markets running bots need, for the market-data
 * gateway's demand poll (`GATEWAY_DEMAND_URL`): `{"markets":["sim:SIM-BTC/USD:1m", …]}`. Read from
 * the market entities (one per market key, holding the subscribed bots), so it agrees with the
 * bots' states: a bot subscribes when it starts and unsubscribes when it stops. Dashboards show live
 * prices only for running bots, whose markets are already here.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { marketsInDemand } from '../shared/bots/market-subscriptions.js';
import { ENTITY } from '../shared/entity-names.js';
import { entityPortFor, withDurableClient, type EntityListItem } from './bots-durable.js';

const PAGE = 500;
/** 20 pages of 500: far more markets than one gateway watches; beyond it the answer says it is partial. */
const MAX_PAGES = 20;

export async function internalMarkets(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const port = entityPortFor(request);
  const entities: EntityListItem[] = [];
  let continuation: string | null = null;
  let pages = 0;
  do {
    const page = await port.list(ENTITY.market, { top: PAGE, continuation });
    entities.push(...page.items);
    continuation = page.continuation;
  } while (continuation !== null && ++pages < MAX_PAGES);
  if (continuation !== null) context.warn(`internal/markets: stopped after ${entities.length} market entities; the list is partial`);
  return {
    status: 200,
    jsonBody: { markets: marketsInDemand(entities), marketEntities: entities.length, complete: continuation === null },
    headers: { 'cache-control': 'no-store' },
  };
}

app.http(
  'internal-markets',
  withDurableClient({
    methods: ['GET'],
    route: 'internal/markets',
    authLevel: 'function',
    handler: internalMarkets,
  }),
);
