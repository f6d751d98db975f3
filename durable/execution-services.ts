/**
 * What the execution entities need from outside: the Cosmos repository for bot records. Built once
 * per process from the Function App's config (durable/ cannot import functions/runtime.ts).
 */
import { BotRecordsRepository } from '../shared/adapters/cosmos/bot-records-repository.js';
import { createCosmosClient } from '../shared/adapters/cosmos/cosmos-client-factory.js';
import { ensureCosmosSchema } from '../shared/adapters/cosmos/ensure-cosmos-schema.js';
import { loadConfigOrExit } from '../shared/config/env-parse.js';
import { functionsConfigSchema } from '../shared/config/functions-config.js';

let records: Promise<BotRecordsRepository> | undefined;

export function botRecords(): Promise<BotRecordsRepository> {
  if (!records) {
    records = build();
    // Cosmos may still be starting: the next operation tries again instead of failing forever.
    records.catch(() => (records = undefined));
  }
  return records;
}

async function build(): Promise<BotRecordsRepository> {
  const config = loadConfigOrExit(functionsConfigSchema, process.env, 'functions');
  const schema = await ensureCosmosSchema(createCosmosClient({ endpoint: config.COSMOS_ENDPOINT, key: config.COSMOS_KEY }), config.COSMOS_DATABASE);
  const { bots, botEvents, botOrders, botEquity } = schema.containers;
  return new BotRecordsRepository({ bots, botEvents, botOrders, botEquity });
}
