/**
 * One CosmosClient per process. With a key (embedded emulator, official emulator, or a keyed account)
 * it signs with the key; without one it uses the managed identity, as in Azure. A `ca` PEM is trusted
 * for this client only (the emulators' self-signed certificates), so TLS verification stays on.
 */
import { Agent } from 'node:https';
import { CosmosClient, type CosmosClientOptions } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';

export interface CosmosConnection {
  readonly endpoint: string;
  /** Absent: authenticate with DefaultAzureCredential (managed identity, az login, …). */
  readonly key?: string | undefined;
  /** PEM of a CA to trust for this endpoint only (local or official emulator). */
  readonly ca?: string | undefined;
}

export function cosmosClientOptions(connection: CosmosConnection): CosmosClientOptions {
  const auth = connection.key ? { key: connection.key } : { aadCredentials: new DefaultAzureCredential() };
  const local = /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(connection.endpoint);
  return {
    endpoint: connection.endpoint,
    ...auth,
    ...(connection.ca ? { agent: new Agent({ ca: connection.ca, keepAlive: true }) } : {}),
    // Emulators have one region; discovery would only add a metadata round trip at first use.
    ...(local ? { connectionPolicy: { enableEndpointDiscovery: false } } : {}),
  };
}

export function createCosmosClient(connection: CosmosConnection): CosmosClient {
  return new CosmosClient(cosmosClientOptions(connection));
}
