/**
 * Creates the database and every declared container (tenant and market) when missing. Called once per process before the
 * first use (memoized per client and database); safe when several processes start at once, because a
 * create that loses the race (409) falls back to reading what the winner created. An existing
 * container whose partition key differs from the declaration stops the start with a clear error:
 * partition keys cannot be changed in place.
 *
 * Tenant containers and market containers come back apart (`containers` / `marketContainers`), so
 * code wiring tenant repositories cannot pick the shared `candles` container by name.
 */
import { PartitionKeyDefinitionVersion, PartitionKeyKind, type Container, type CosmosClient, type Database } from '@azure/cosmos';
import {
  CONTAINERS,
  MARKET_CONTAINER_NAMES,
  TENANT_CONTAINER_NAMES,
  type ContainerDeclaration,
  type ContainerName,
  type MarketContainerName,
  type TenantContainerName,
} from './cosmos-containers.js';
import { cosmosStatus } from './cosmos-errors.js';

export interface CosmosSchema {
  readonly database: Database;
  /** Tenant-scoped containers (`/tenantId` first): the only ones tenant repositories are given. */
  readonly containers: Readonly<Record<TenantContainerName, Container>>;
  /** Shared market-data containers (`candles`): no tenant data, never for tenant repositories. */
  readonly marketContainers: Readonly<Record<MarketContainerName, Container>>;
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
  const database = await ensureDatabase(client, databaseId);
  const ensureAll = async <N extends ContainerName>(names: readonly N[]): Promise<Record<N, Container>> =>
    Object.fromEntries(await Promise.all(names.map(async (name) => [name, await ensureContainer(database, CONTAINERS[name])] as const))) as Record<N, Container>;
  const [containers, marketContainers] = await Promise.all([ensureAll(TENANT_CONTAINER_NAMES), ensureAll(MARKET_CONTAINER_NAMES)]);
  return { database, containers, marketContainers };
}

/**
 * Creates (when missing) the database and one declared container, with the same checks as
 * `ensureCosmosSchema`: for a process that needs only that container (the gateway and `candles`).
 */
export async function ensureDeclaredContainer(client: CosmosClient, databaseId: string, name: ContainerName): Promise<Container> {
  return ensureContainer(await ensureDatabase(client, databaseId), CONTAINERS[name]);
}

function ensureDatabase(client: CosmosClient, databaseId: string): Promise<Database> {
  return raceSafe(
    async () => (await client.databases.createIfNotExists({ id: databaseId })).database,
    async () => (await client.database(databaseId).read()).database,
  );
}

async function ensureContainer(database: Database, decl: ContainerDeclaration): Promise<Container> {
  const { resource, container } = await raceSafe(
    () =>
      database.containers.createIfNotExists({
        id: decl.id,
        // Same rule as infra/modules/cosmos.bicep: hierarchical (MultiHash) when more than one level.
        partitionKey: { paths: [...decl.partitionKeyPaths], kind: decl.partitionKeyPaths.length > 1 ? PartitionKeyKind.MultiHash : PartitionKeyKind.Hash, version: PartitionKeyDefinitionVersion.V2 },
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
