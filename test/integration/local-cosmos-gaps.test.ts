/**
 * The Cosmos features the embedded emulator lacks, as documented in docs/cosmos-emulator.md. App code
 * must not depend on them. If one of these starts failing, the emulator gained the feature: update
 * the document (and this file) instead of weakening the check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BulkOperationType, ChangeFeedStartFrom, CosmosClient, StatusCodes, type Container, type OperationInput } from '@azure/cosmos';
import { startLocalCosmos, type LocalCosmos } from '../../local/cosmos/local-cosmos';

// Emulator start, bulk inserts and child processes exceed the default 5 s (the projects-level testTimeout is not applied).
jest.setTimeout(120_000);

describe('local Cosmos emulator gaps (docs/cosmos-emulator.md)', () => {
  let dataDir: string;
  let cosmos: LocalCosmos;
  let container: Container;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tt-cosmos-gaps-'));
    cosmos = await startLocalCosmos({ dataDir, durability: 'memory' });
    const { database } = await new CosmosClient(cosmos.clientOptions()).databases.createIfNotExists({ id: 'gaps' });
    ({ container } = await database.containers.createIfNotExists({ id: 'items', partitionKey: { paths: ['/tenantId'] }, defaultTtl: 1 }));
    for (let i = 0; i < 6; i += 1) await container.items.create({ id: `d${i}`, tenantId: `t${i % 2}`, v: i });
  });
  afterAll(async () => {
    await cosmos.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['OFFSET/LIMIT', 'SELECT * FROM c ORDER BY c.v OFFSET 1 LIMIT 2'],
    ['GROUP BY', 'SELECT c.tenantId, COUNT(1) AS n FROM c GROUP BY c.tenantId'],
    ['DISTINCT', 'SELECT DISTINCT VALUE c.tenantId FROM c'],
    ['LIKE', "SELECT * FROM c WHERE c.id LIKE 'd%'"],
  ])('rejects %s queries with 400', async (_feature, query) => {
    await expect(container.items.query(query).fetchAll()).rejects.toMatchObject({ code: StatusCodes.BadRequest });
  });

  it('never expires documents (TTL is ignored)', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { resources } = await container.items.query('SELECT VALUE COUNT(1) FROM c').fetchAll();
    expect(resources).toEqual([6]);
  });

  it('has no stored procedures or triggers', async () => {
    await expect(container.scripts.storedProcedures.create({ id: 'sp', body: 'function () {}' })).rejects.toMatchObject({ code: StatusCodes.BadRequest });
  });

  it('does not roll back a transactional batch whose later operation fails', async () => {
    const operations: OperationInput[] = [
      { operationType: BulkOperationType.Create, resourceBody: { id: 'batch-new', tenantId: 't0' } },
      { operationType: BulkOperationType.Create, resourceBody: { id: 'd0', tenantId: 't0' } },
    ];
    const response = await container.items.batch(operations, 't0');
    expect(response.result?.map((r) => r.statusCode)).toEqual([201, 409]);
    // Azure would have rolled back the first create.
    expect((await container.item('batch-new', 't0').read()).statusCode).toBe(200);
  });

  it('reports a container once through the change feed and later changes never', async () => {
    const feed = container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning() });
    const first = await feed.readNext();
    expect(first.result.length).toBeGreaterThan(0);
    await container.items.create({ id: 'after-feed', tenantId: 't1' });
    const next = await feed.readNext();
    expect({ status: next.statusCode, changes: next.result.length }).toEqual({ status: StatusCodes.NotModified, changes: 0 });
  });
});
