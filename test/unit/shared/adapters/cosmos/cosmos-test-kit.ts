/** Starts the embedded Cosmos emulator in memory for repository tests, with a client that trusts it. */
import type { CosmosClient } from '@azure/cosmos';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCosmosClient } from '../../../../../local/cosmos/cosmos-client-factory';
import { startLocalCosmos, type LocalCosmos } from '../../../../../local/cosmos/local-cosmos';

export interface CosmosKit {
  readonly client: CosmosClient;
  readonly cosmos: LocalCosmos;
  stop(): Promise<void>;
}

export async function startCosmosKit(): Promise<CosmosKit> {
  const cosmos = await startLocalCosmos({ dataDir: mkdtempSync(join(tmpdir(), 'tt-cosmos-unit-')), durability: 'memory' });
  const client = createCosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, ca: cosmos.ca });
  return {
    client,
    cosmos,
    async stop() {
      client.dispose();
      await cosmos.stop();
    },
  };
}
