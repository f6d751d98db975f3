/**
 * Composition root of the HTTP API: repositories over the ensured Cosmos schema, the secret store, the
 * exchange tester and the authenticator, built once per process from the Function App's runtime
 * singletons. Later features add their repositories here.
 */
import type { CosmosClient } from '@azure/cosmos';
import { ApiTokensRepository } from '../adapters/cosmos/api-tokens-repository.js';
import { ConnectionsRepository } from '../adapters/cosmos/connections-repository.js';
import { ensureCosmosSchema } from '../adapters/cosmos/ensure-cosmos-schema.js';
import { parseApiOverrides } from '../adapters/exchanges/api-url-override.js';
import { createConnectionTester, type ConnectionTester } from '../adapters/exchanges/connection-tester.js';
import { createAuthenticator, type Authenticator } from '../auth/authenticator.js';
import type { FunctionsConfig } from '../config/functions-config.js';
import type { SecretStore } from '../ports/secret-store.js';
import type { EdgeDeps } from './api-handler.js';

/** What functions/runtime.ts provides (passed in, because shared/ never imports a deployable). */
export interface FunctionRuntime {
  cosmosClient(): CosmosClient;
  functionsConfig(): FunctionsConfig;
  secretStore(): SecretStore;
}

export interface ApiServices {
  readonly connections: ConnectionsRepository;
  readonly tokens: ApiTokensRepository;
  readonly secrets: SecretStore;
  readonly tester: ConnectionTester;
}

let deps: Promise<EdgeDeps<ApiServices>> | undefined;

export function apiEdgeDeps(runtime: FunctionRuntime): Promise<EdgeDeps<ApiServices>> {
  if (!deps) {
    deps = build(runtime);
    // Cosmos may still be starting: let the next request try again instead of failing forever.
    deps.catch(() => (deps = undefined));
  }
  return deps;
}

async function build(runtime: FunctionRuntime): Promise<EdgeDeps<ApiServices>> {
  const config = runtime.functionsConfig();
  const schema = await ensureCosmosSchema(runtime.cosmosClient(), config.COSMOS_DATABASE);
  const nowMs = (): number => Date.now();
  const tokens = new ApiTokensRepository(schema.containers.apiTokens);
  const authenticate: Authenticator = createAuthenticator({ findToken: (tenantId, id) => tokens.find(tenantId, id), nowMs });
  return {
    authenticate,
    nowMs,
    services: {
      connections: new ConnectionsRepository(schema.containers.connections, schema.containers.bots),
      tokens,
      secrets: runtime.secretStore(),
      tester: createConnectionTester({ nowMs, apiOverrides: parseApiOverrides(config.TT_EXCHANGE_API_OVERRIDES) }),
    },
  };
}
