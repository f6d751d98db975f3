/**
 * Creates the database and every declared container when missing. Called once per process before the
 * first use (memoized per client and database); safe when several processes start at once, because a
 * create that loses the race (409) falls back to reading what the winner created. An existing
 * container whose partition key differs from the declaration stops the start with a clear error:
 * partition keys cannot be changed in place.
 */
import { PartitionKeyDefinitionVersion, PartitionKeyKind, type Container, type CosmosClient, type Database } from '@azure/cosmos';
import { CONTAINER_NAMES, CONTAINERS, type ContainerDeclaration, type ContainerName } from './cosmos-containers.js';
import { cosmosStatus } from './cosmos-errors.js';

export interface CosmosSchema {
  readonly database: Database;
  readonly containers: Readonly<Record<ContainerName, Container>>;
}

const ensured = new WeakMap<CosmosClient, Map<string, Promise<CosmosSchema>>>();

export function ensureCosmosSchema(client: CosmosClient, databaseId: string): Promise<CosmosSchema> {
  let byDatabase = ensured.get(client);
  if (!byDatabase) {
    byDatabase = new Map();
    ensured.set(client, byDatabase);
  }
  let pending = byDatabase.get(databaseId);
  if (!pending) {
    pending = createSchema(client, databaseId);
    byDatabase.set(databaseId, pending);
    // A failed attempt (Cosmos not up yet) must not poison the process: the next call retries.
    pending.catch(() => byDatabase.delete(databaseId));
  }
  return pending;
}

async function createSchema(client: CosmosClient, databaseId: string): Promise<CosmosSchema> {
  const database = await raceSafe(
    async () => (await client.databases.createIfNotExists({ id: databaseId })).database,
    async () => (await client.database(databaseId).read()).database,
  );
  const entries = await Promise.all(CONTAINER_NAMES.map(async (name) => [name, await ensureContainer(database, CONTAINERS[name])] as const));
  return { database, containers: Object.fromEntries(entries) as Record<ContainerName, Container> };
}

async function ensureContainer(database: Database, decl: ContainerDeclaration): Promise<Container> {
  const { resource, container } = await raceSafe(
    () =>
      database.containers.createIfNotExists({
        id: decl.id,
        partitionKey: { paths: [...decl.partitionKeyPaths], kind: PartitionKeyKind.MultiHash, version: PartitionKeyDefinitionVersion.V2 },
        indexingPolicy: {
          indexingMode: decl.indexingPolicy.indexingMode,
          automatic: decl.indexingPolicy.automatic,
          includedPaths: decl.indexingPolicy.includedPaths.map((p) => ({ path: p.path })),
          excludedPaths: decl.indexingPolicy.excludedPaths.map((p) => ({ path: p.path })),
        },
      }),
    () => database.container(decl.id).read(),
  );
  const actual = resource?.partitionKey?.paths ?? [];
  if (actual.join(',') !== decl.partitionKeyPaths.join(',')) {
    throw new Error(
      `Cosmos container "${decl.id}" exists with partition key [${actual.join(', ')}] but the declaration says [${decl.partitionKeyPaths.join(', ')}]; partition keys cannot change in place (migrate the data to a new container).`,
    );
  }
  return container;
}

async function raceSafe<T>(create: () => Promise<T>, readExisting: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (e) {
    if (cosmosStatus(e) === 409) return readExisting();
    throw e;
  }
}
