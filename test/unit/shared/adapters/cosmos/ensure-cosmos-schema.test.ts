import { PartitionKeyKind } from '@azure/cosmos';
import { CONTAINERS, CONTAINER_NAMES } from '../../../../../shared/adapters/cosmos/cosmos-containers';
import { ensureCosmosSchema } from '../../../../../shared/adapters/cosmos/ensure-cosmos-schema';
import { createCosmosClient } from '../../../../../local/cosmos/cosmos-client-factory';
import { startCosmosKit, type CosmosKit } from './cosmos-test-kit';

describe('ensureCosmosSchema', () => {
  let kit: CosmosKit;
  beforeAll(async () => {
    kit = await startCosmosKit();
  });
  afterAll(() => kit.stop());

  it('declares tenantId as the first partition key level of every container', () => {
    for (const name of CONTAINER_NAMES) expect(CONTAINERS[name].partitionKeyPaths[0]).toBe('/tenantId');
  });

  it('creates the database and every declared container with its hierarchical key', async () => {
    const schema = await ensureCosmosSchema(kit.client, 'schema-create');
    for (const name of CONTAINER_NAMES) {
      const { resource } = await schema.containers[name].read();
      expect(resource?.id).toBe(CONTAINERS[name].id);
      expect(resource?.partitionKey?.paths).toEqual([...CONTAINERS[name].partitionKeyPaths]);
      expect(resource?.partitionKey?.kind).toBe(PartitionKeyKind.MultiHash);
    }
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
