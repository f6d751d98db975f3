/**
 * One CosmosClient per process. With a key (local emulator, official emulator, or a keyed account)
 * it authenticates with the key; without one it uses the managed identity, as in Azure.
 */
import { CosmosClient } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';

export interface CosmosConnection {
  readonly endpoint: string;
  readonly key?: string | undefined;
}

export function createCosmosClient(conn: CosmosConnection): CosmosClient {
  return conn.key
    ? new CosmosClient({ endpoint: conn.endpoint, key: conn.key, connectionPolicy: { enableEndpointDiscovery: false } })
    : new CosmosClient({ endpoint: conn.endpoint, aadCredentials: new DefaultAzureCredential() });
}
