/** Process-wide singletons of the Function App, built once from the parsed config. */
import { readFileSync } from 'node:fs';
import type { CosmosClient } from '@azure/cosmos';
import type { WebPubSubServiceClient } from '@azure/web-pubsub';
import { createCosmosClient } from '../shared/adapters/cosmos/cosmos-client-factory.js';
import { createWebPubSubServiceClient } from '../shared/adapters/market-data/web-pubsub-tick-publisher.js';
import { FileSecretStore } from '../shared/adapters/secrets/file-secret-store.js';
import { KeyVaultSecretStore } from '../shared/adapters/secrets/key-vault-secret-store.js';
import { loadConfigOrExit } from '../shared/config/env-parse.js';
import { functionsConfigSchema, type FunctionsConfig } from '../shared/config/functions-config.js';
import type { SecretStore } from '../shared/ports/secret-store.js';

let config: FunctionsConfig | undefined;
let cosmos: CosmosClient | undefined;
let secrets: SecretStore | undefined;
let webPubSub: WebPubSubServiceClient | null | undefined;

export function functionsConfig(): FunctionsConfig {
  config ??= loadConfigOrExit(functionsConfigSchema, process.env, 'functions');
  return config;
}

export function cosmosClient(): CosmosClient {
  const cfg = functionsConfig();
  cosmos ??= createCosmosClient({
    endpoint: cfg.COSMOS_ENDPOINT,
    key: cfg.COSMOS_KEY,
    ca: cfg.COSMOS_CA_CERT_FILE ? readFileSync(cfg.COSMOS_CA_CERT_FILE, 'utf8') : undefined,
  });
  return cosmos;
}

export function secretStore(): SecretStore {
  const cfg = functionsConfig();
  secrets ??= cfg.SECRET_STORE === 'keyvault' && cfg.KEY_VAULT_URL ? new KeyVaultSecretStore(cfg.KEY_VAULT_URL) : new FileSecretStore(cfg.LOCAL_SECRETS_DIR);
  return secrets;
}

/** The hub client for live updates; null when Web PubSub is not configured (it is optional). */
export function webPubSubClient(): WebPubSubServiceClient | null {
  if (webPubSub !== undefined) return webPubSub;
  const cfg = functionsConfig();
  const { WEB_PUBSUB_CONNECTION_STRING: connectionString, WEB_PUBSUB_ENDPOINT: endpoint, WEB_PUBSUB_HUB: hub } = cfg;
  webPubSub = connectionString || endpoint ? createWebPubSubServiceClient({ connectionString, endpoint, hub }) : null;
  return webPubSub;
}
