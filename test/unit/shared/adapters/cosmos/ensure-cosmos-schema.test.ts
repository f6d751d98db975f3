import { PartitionKeyKind } from '@azure/cosmos';
import { CONTAINERS, CONTAINER_NAMES, MARKET_CONTAINER_NAMES, TENANT_CONTAINER_NAMES } from '../../../../../shared/adapters/cosmos/cosmos-containers';
import { ensureCosmosSchema, ensureDeclaredContainer } from '../../../../../shared/adapters/cosmos/ensure-cosmos-schema';
import { createCosmosClient } from '../../../../../local/cosmos/cosmos-client-factory';
import { startCosmosKit, type CosmosKit } from './cosmos-test-kit';

describe('ensureCosmosSchema', () => {
  let kit: CosmosKit;
  beforeAll(async () => {
    kit = await startCosmosKit();
  });
  afterAll(() => kit.stop());

  it('creates the database and every declared container, tenant and market, with its hierarchical key and indexing policy', async () => {
    const schema = await ensureCosmosSchema(kit.client, 'schema-create');
    const created = [
      ...TENANT_CONTAINER_NAMES.map((name) => [name, schema.containers[name]] as const),
      ...MARKET_CONTAINER_NAMES.map((name) => [name, schema.marketContainers[name]] as const),
    ];
    expect(created.map(([name]) => name).sort()).toEqual([...CONTAINER_NAMES].sort());
    for (const [name, container] of created) {
      const { resource } = await container.read();
      expect(resource?.id).toBe(CONTAINERS[name].id);
      expect(resource?.partitionKey?.paths).toEqual([...CONTAINERS[name].partitionKeyPaths]);
      expect(resource?.partitionKey?.kind).toBe(PartitionKeyKind.MultiHash);
      expect(resource?.indexingPolicy?.excludedPaths?.map((p) => p.path)).toEqual(expect.arrayContaining(CONTAINERS[name].indexingPolicy.excludedPaths.map((p) => p.path)));
    }
  });

  it('hands out the shared candles container only as a market container, never among the tenant containers', async () => {
    const schema = await ensureCosmosSchema(kit.client, 'schema-scopes');
    expect(Object.keys(schema.marketContainers)).toEqual(['candles']);
    expect(schema.marketContainers.candles.id).toBe('candles');
    expect(Object.keys(schema.containers).sort()).toEqual([...TENANT_CONTAINER_NAMES].sort());
    expect(Object.values(schema.containers).map((c) => c.id)).not.toContain('candles');
  });

  it('is memoized per client and database', async () => {
    expect(ensureCosmosSchema(kit.client, 'schema-memo')).toBe(ensureCosmosSchema(kit.client, 'schema-memo'));
    await ensureCosmosSchema(kit.client, 'schema-memo');
  });

  it('survives concurrent first calls from independent clients (as from several processes)', async () => {
    const others = Array.from({ length: 4 }, () => createCosmosClient({ endpoint: kit.cosmos.endpoint, key: kit.cosmos.key, ca: kit.cosmos.ca }));
    const schemas = await Promise.all(others.map((c) => ensureCosmosSchema(c, 'schema-race')));
    expect(schemas).toHaveLength(4);
    const { resources } = await kit.client.database('schema-race').containers.readAll().fetchAll();
    expect(resources.map((r) => r.id).sort()).toEqual(CONTAINER_NAMES.map((n) => CONTAINERS[n].id).sort());
    for (const c of others) c.dispose();
  });

  it('refuses to run against a container whose partition key differs from the declaration', async () => {
    const { database } = await kit.client.databases.createIfNotExists({ id: 'schema-mismatch' });
    await database.containers.create({ id: CONTAINERS.connections.id, partitionKey: { paths: ['/id'] } });
    await expect(ensureCosmosSchema(kit.client, 'schema-mismatch')).rejects.toThrow(/partition key/);
  });
});

describe('ensureDeclaredContainer', () => {
  let kit: CosmosKit;
  beforeAll(async () => {
    kit = await startCosmosKit();
  });
  afterAll(() => kit.stop());

  it('creates the database and only the named container, from its declaration', async () => {
    const candles = await ensureDeclaredContainer(kit.client, 'one-container', 'candles');
    const { resource } = await candles.read();
    expect(resource?.partitionKey?.paths).toEqual([...CONTAINERS.candles.partitionKeyPaths]);
    expect(resource?.indexingPolicy?.includedPaths?.map((p) => p.path)).toEqual(['/openTimeMs/?']);
    const { resources } = await kit.client.database('one-container').containers.readAll().fetchAll();
    expect(resources.map((r) => r.id)).toEqual(['candles']);
  });

  it('leaves a container it created usable by a later ensureCosmosSchema (gateway first, then the Functions app)', async () => {
    await ensureDeclaredContainer(kit.client, 'gateway-first', 'candles');
    const schema = await ensureCosmosSchema(kit.client, 'gateway-first');
    expect(schema.marketContainers.candles.id).toBe('candles');
  });

  it('refuses a candles container left with another partition key (as an older gateway could have made it)', async () => {
    const { database } = await kit.client.databases.createIfNotExists({ id: 'candles-mismatch' });
    await database.containers.create({ id: 'candles', partitionKey: { paths: ['/marketKey'] } });
    await expect(ensureDeclaredContainer(kit.client, 'candles-mismatch', 'candles')).rejects.toThrow(/"candles" exists with partition key \[\/marketKey\]/);
  });
});
