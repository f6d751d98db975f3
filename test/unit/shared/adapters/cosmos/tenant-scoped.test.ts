import { CosmosClient } from '@azure/cosmos';
import { z } from 'zod';
import { CONTAINERS, TENANT_CONTAINER_NAMES } from '../../../../../shared/adapters/cosmos/cosmos-containers';
import { queryTenantPage, readTenantItem, requireTenantContainer } from '../../../../../shared/adapters/cosmos/tenant-scoped';

// Container references are local objects: nothing below reaches the (unreachable) endpoint, because
// the checks run before any request.
const database = new CosmosClient({ endpoint: 'https://127.0.0.1:9', key: 'dGVzdA==' }).database('tradingtower');
const TENANT = '0123456789abcdef0123456789abcdef';

describe('tenant-scoped helpers', () => {
  it('accept every tenant-scoped container', () => {
    for (const name of TENANT_CONTAINER_NAMES) expect(() => requireTenantContainer(database.container(CONTAINERS[name].id))).not.toThrow();
  });

  it('refuse the shared candles container', () => {
    expect(() => requireTenantContainer(database.container(CONTAINERS.candles.id))).toThrow('tenant repository used on the shared market container "candles"');
  });

  it('refuse a tenant query or point read on the candles container before sending it', async () => {
    const candles = database.container(CONTAINERS.candles.id);
    await expect(queryTenantPage(candles, TENANT, { query: 'SELECT * FROM c' }, { limit: 10 }, z.unknown())).rejects.toThrow(/shared market container/);
    await expect(readTenantItem(candles, TENANT, 'x', z.unknown())).rejects.toThrow(/shared market container/);
  });
});
