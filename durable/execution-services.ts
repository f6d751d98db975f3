/**
 * What the execution entities need from outside: the Cosmos repository for bot records and the live
 * updates publisher. Built once per process from the Function App's config (durable/ cannot import
 * functions/runtime.ts).
 */
import { CoalescingGroupPublisher } from '../shared/adapters/live-updates/coalescing-group-publisher.js';
import { createWebPubSubServiceClient, WebPubSubTickPublisher } from '../shared/adapters/market-data/web-pubsub-tick-publisher.js';
import { BotRecordsRepository } from '../shared/adapters/cosmos/bot-records-repository.js';
import { createCosmosClient } from '../shared/adapters/cosmos/cosmos-client-factory.js';
import { ensureCosmosSchema } from '../shared/adapters/cosmos/ensure-cosmos-schema.js';
import { loadConfigOrExit } from '../shared/config/env-parse.js';
import { functionsConfigSchema } from '../shared/config/functions-config.js';
import type { BotLiveMessage, BotLiveUpdate } from '../shared/schemas/bot-live-update.js';

let records: Promise<BotRecordsRepository> | undefined;

export function botRecords(): Promise<BotRecordsRepository> {
  if (!records) {
    records = build();
    // Cosmos may still be starting: the next operation tries again instead of failing forever.
    records.catch(() => (records = undefined));
  }
  return records;
}

let liveUpdates: CoalescingGroupPublisher<BotLiveUpdate> | null | undefined;

/** Bot updates for dashboards (`tenant.{tenantId}.bots`); null when Web PubSub is not configured. */
export function botLiveUpdates(): CoalescingGroupPublisher<BotLiveUpdate> | null {
  if (liveUpdates !== undefined) return liveUpdates;
  const config = loadConfigOrExit(functionsConfigSchema, process.env, 'functions');
  const { WEB_PUBSUB_CONNECTION_STRING: connectionString, WEB_PUBSUB_ENDPOINT: endpoint, WEB_PUBSUB_HUB: hub } = config;
  liveUpdates =
    connectionString || endpoint
      ? new CoalescingGroupPublisher<BotLiveUpdate>(new WebPubSubTickPublisher(createWebPubSubServiceClient({ connectionString, endpoint, hub })), {
          wrap: (updates, dropped): BotLiveMessage => ({ type: 'bot.updates', v: 1, updates, dropped }),
          onError: (message) => console.warn(message),
        })
      : null;
  return liveUpdates;
}

async function build(): Promise<BotRecordsRepository> {
  const config = loadConfigOrExit(functionsConfigSchema, process.env, 'functions');
  const schema = await ensureCosmosSchema(createCosmosClient({ endpoint: config.COSMOS_ENDPOINT, key: config.COSMOS_KEY }), config.COSMOS_DATABASE);
  const { bots, botEvents, botOrders, botEquity } = schema.containers;
  return new BotRecordsRepository({ bots, botEvents, botOrders, botEquity });
}
