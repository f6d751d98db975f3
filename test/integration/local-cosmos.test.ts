/** The embedded Cosmos emulator through the real @azure/cosmos SDK over TLS. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BulkOperationType, CosmosClient, type Container, type ItemDefinition, type OperationInput, type PartitionKeyDefinition } from '@azure/cosmos';
import { startLocalCosmos, type LocalCosmos } from '../../local/cosmos/local-cosmos';

// Emulator start, bulk inserts and child processes exceed the default 5 s (the projects-level testTimeout is not applied).
jest.setTimeout(120_000);

const HIERARCHICAL: PartitionKeyDefinition = { paths: ['/tenantId', '/botId'], kind: 'MultiHash' as PartitionKeyDefinition['kind'], version: 2 };

interface Order extends ItemDefinition {
  id: string;
  tenantId: string;
  botId: string;
  seq: number;
  price: number;
  status: string;
}

const order = (i: number): Order => ({
  id: `o${i}`,
  tenantId: `t${i % 3}`,
  botId: `b${i % 4}`,
  seq: i,
  price: ((i * 7919) % 1009) / 10,
  status: ['open', 'filled', 'cancelled'][i % 3]!,
});

async function insertOrders(container: Container, count: number): Promise<void> {
  const operations: OperationInput[] = Array.from({ length: count }, (_, i) => {
    const o = order(i);
    return { operationType: BulkOperationType.Create, partitionKey: [o.tenantId, o.botId], resourceBody: { ...o } };
  });
  const results = await container.items.executeBulkOperations(operations);
  expect(results.filter((r) => r.response?.statusCode !== 201)).toEqual([]);
}

const allDocs = async (container: Container): Promise<ItemDefinition[]> =>
  (await container.items.readAll().fetchAll()).resources.sort((a, b) => String(a.id).localeCompare(String(b.id)));

describe('startLocalCosmos', () => {
  let dataDir: string;
  let running: LocalCosmos[];
  const start = async (options: { compactMinWalBytes?: number } = {}): Promise<{ cosmos: LocalCosmos; client: CosmosClient }> => {
    const cosmos = await startLocalCosmos({ dataDir, ...options });
    running.push(cosmos);
    return { cosmos, client: new CosmosClient(cosmos.clientOptions()) };
  };
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tt-local-cosmos-'));
    running = [];
  });
  afterEach(async () => {
    for (const cosmos of running) await cosmos.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the SDK over TLS that only clients given the local CA trust', async () => {
    const { cosmos, client } = await start();
    expect(cosmos.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    await client.databases.createIfNotExists({ id: 'db' });
    const untrusted = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    await expect(untrusted.database('db').read()).rejects.toThrow(/self[- ]signed|certificate/i);
  });

  it('keeps databases, containers and documents with their ETag and _ts across stop and start', async () => {
    const first = await start();
    const { database } = await first.client.databases.createIfNotExists({ id: 'tt' });
    const { container } = await database.containers.createIfNotExists({
      id: 'orders',
      partitionKey: HIERARCHICAL,
      uniqueKeyPolicy: { uniqueKeys: [{ paths: ['/seq'] }] },
    });
    await insertOrders(container, 500);
    const replaced = await container.item('o1', ['t1', 'b1']).replace({ ...order(1), status: 'filled' });
    await container.item('o2', ['t2', 'b2']).patch([{ op: 'incr', path: '/price', value: 1 }]);
    await container.item('o3', ['t0', 'b3']).delete();
    await container.items.upsert({ ...order(1000), id: 'extra' });
    const before = await allDocs(container);
    expect(before).toHaveLength(500);
    await first.cosmos.stop();

    const second = await start();
    expect(second.cosmos.port).not.toBe(0);
    const again = second.client.database('tt').container('orders');
    expect(await allDocs(again)).toEqual(before);
    const definition = (await again.read()).resource;
    expect(definition?.partitionKey?.paths).toEqual(['/tenantId', '/botId']);
    expect(definition?.uniqueKeyPolicy).toEqual({ uniqueKeys: [{ paths: ['/seq'] }] });

    // ETags keep guarding concurrent updates after the restart
    const stale = again.item('o1', ['t1', 'b1']).replace({ ...order(1), status: 'x' }, { accessCondition: { type: 'IfMatch', condition: 'not-the-etag' } });
    await expect(stale).rejects.toMatchObject({ code: 412 });
    const fresh = await again.item('o1', ['t1', 'b1']).replace({ ...order(1), status: 'y' }, { accessCondition: { type: 'IfMatch', condition: replaced.resource!._etag } });
    expect(fresh.statusCode).toBe(200);
    // unique keys (per logical partition) keep working, and new documents get fresh resource ids
    await expect(again.items.create({ ...order(9999), seq: order(15).seq })).rejects.toMatchObject({ code: 409 });
    const created = await again.items.create({ ...order(5000) });
    expect(before.map((d): unknown => d._rid)).not.toContain(created.resource?._rid);
  });

  it('restores from a compacted snapshot plus the changes logged after it', async () => {
    const logs: string[] = [];
    const first = await start({ compactMinWalBytes: 1 << 30 });
    const { database } = await first.client.databases.createIfNotExists({ id: 'tt' });
    const { container } = await database.containers.createIfNotExists({ id: 'orders', partitionKey: HIERARCHICAL });
    await insertOrders(container, 200);
    await first.cosmos.compact();
    await container.items.upsert({ ...order(0), status: 'after-snapshot' });
    await container.item('o5', ['t2', 'b1']).delete();
    const before = await allDocs(container);
    await first.cosmos.stop();

    const second = await startLocalCosmos({ dataDir, log: (m) => logs.push(m) });
    running.push(second);
    const again = new CosmosClient(second.clientOptions()).database('tt').container('orders');
    expect(await allDocs(again)).toEqual(before);
    expect(before.find((d) => d.id === 'o0')?.status).toBe('after-snapshot');
    expect(logs.find((m) => m.startsWith('restored'))).toMatch(/^restored [1-9]\d* snapshot \+ 2 WAL records/);
  });

  it('answers parameterized, ORDER BY + TOP, aggregate, partition-scoped and paged queries like the data says', async () => {
    const { client } = await start();
    const { database } = await client.databases.createIfNotExists({ id: 'tt' });
    const { container } = await database.containers.createIfNotExists({ id: 'orders', partitionKey: HIERARCHICAL });
    const count = 3000;
    await insertOrders(container, count);
    const orders = Array.from({ length: count }, (_, i) => order(i));

    const filtered = await container.items
      .query<Order>({ query: 'SELECT * FROM c WHERE c.botId = @bot AND c.price > @min', parameters: [{ name: '@bot', value: 'b2' }, { name: '@min', value: 50 }] })
      .fetchAll();
    expect(filtered.resources.map((o) => o.id).sort()).toEqual(orders.filter((o) => o.botId === 'b2' && o.price > 50).map((o) => o.id).sort());

    const top = await container.items.query<Order>('SELECT TOP 5 * FROM c ORDER BY c.price DESC').fetchAll();
    expect(top.resources.map((o) => o.price)).toEqual(orders.map((o) => o.price).sort((a, b) => b - a).slice(0, 5));

    const sum = await container.items.query<number>('SELECT VALUE SUM(c.seq) FROM c').fetchAll();
    expect(sum.resources).toEqual([(count * (count - 1)) / 2]);

    const tenant = await container.items.query<Order>('SELECT * FROM c', { partitionKey: ['t1'] }).fetchAll();
    expect(tenant.resources.length).toBe(orders.filter((o) => o.tenantId === 't1').length);
    const bot = await container.items.query<Order>('SELECT * FROM c', { partitionKey: ['t1', 'b3'] }).fetchAll();
    expect(new Set(bot.resources.map((o) => `${o.tenantId}/${o.botId}`))).toEqual(new Set(['t1/b3']));

    const pages = container.items.query<Order>('SELECT * FROM c ORDER BY c.seq', { maxItemCount: 250 });
    const seen: number[] = [];
    let pageCount = 0;
    while (pages.hasMoreResults()) {
      const page = await pages.fetchNext();
      seen.push(...page.resources.map((o) => o.seq));
      pageCount += page.resources.length > 0 ? 1 : 0;
    }
    expect(seen).toEqual(orders.map((o) => o.seq));
    expect(pageCount).toBe(count / 250);

    await expect(container.item('o1', ['t1', 'wrong-bot']).read()).resolves.toMatchObject({ statusCode: 404 });
  });

  it('refuses a second emulator on a data directory in use', async () => {
    await start();
    await expect(startLocalCosmos({ dataDir })).rejects.toThrow(/already used by a local Cosmos emulator/);
  });
});
