import {
  CONTAINERS,
  CONTAINER_NAMES,
  MARKET_CONTAINER_NAMES,
  TENANT_CONTAINER_NAMES,
  declareContainers,
  type IndexingPolicyDeclaration,
} from '../../../../../shared/adapters/cosmos/cosmos-containers';

const indexNothing: IndexingPolicyDeclaration = { indexingMode: 'consistent', automatic: true, includedPaths: [], excludedPaths: [{ path: '/*' }] };

describe('CONTAINERS', () => {
  it('splits every container into exactly one scope', () => {
    expect([...TENANT_CONTAINER_NAMES, ...MARKET_CONTAINER_NAMES].sort()).toEqual([...CONTAINER_NAMES].sort());
  });

  it('declares tenantId as the first partition key level of every tenant-scoped container', () => {
    expect(TENANT_CONTAINER_NAMES.length).toBeGreaterThan(0);
    for (const name of TENANT_CONTAINER_NAMES) expect(CONTAINERS[name].partitionKeyPaths[0]).toBe('/tenantId');
  });

  it('declares candles as the only market-scoped container, partitioned by market and timeframe without tenantId', () => {
    expect(MARKET_CONTAINER_NAMES).toEqual(['candles']);
    expect(CONTAINERS.candles.partitionKeyPaths).toEqual(['/marketKey', '/timeframe']);
    expect(CONTAINERS.candles.partitionKeyPaths).not.toContain('/tenantId');
  });

  it('indexes only the open time of candles, the one field their queries filter and sort on', () => {
    expect(CONTAINERS.candles.indexingPolicy.includedPaths).toEqual([{ path: '/openTimeMs/?' }]);
    expect(CONTAINERS.candles.indexingPolicy.excludedPaths).toEqual([{ path: '/*' }]);
  });

  it('uses unique container ids', () => {
    const ids = CONTAINER_NAMES.map((name) => CONTAINERS[name].id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('declareContainers', () => {
  it('accepts a tenant container with tenantId first and a market container without tenantId', () => {
    const declared = declareContainers({
      notes: { id: 'notes', scope: 'tenant', partitionKeyPaths: ['/tenantId', '/id'], indexingPolicy: indexNothing, purpose: 'test' },
      quotes: { id: 'quotes', scope: 'market', partitionKeyPaths: ['/marketKey'], indexingPolicy: indexNothing, purpose: 'test' },
    });
    expect(Object.keys(declared)).toEqual(['notes', 'quotes']);
  });

  // Each call below must also fail to compile: `tsc -p tsconfig.json` reports the expect-error
  // directive as unused if the type ever lets one through.
  it('refuses a tenant container whose partition key does not start with tenantId', () => {
    expect(() =>
      declareContainers({
        // @ts-expect-error a tenant container must put /tenantId first
        notes: { id: 'notes', scope: 'tenant', partitionKeyPaths: ['/id', '/tenantId'], indexingPolicy: indexNothing, purpose: 'test' },
      }),
    ).toThrow('tenant container "notes" must have /tenantId as its first partition key path');
  });

  it('refuses a market container partitioned by tenantId at any level', () => {
    expect(() =>
      declareContainers({
        // @ts-expect-error a market container must not name /tenantId
        quotes: { id: 'quotes', scope: 'market', partitionKeyPaths: ['/marketKey', '/tenantId'], indexingPolicy: indexNothing, purpose: 'test' },
      }),
    ).toThrow('market container "quotes" must not be partitioned by /tenantId');
  });

  it('refuses a container without a known scope', () => {
    expect(() =>
      declareContainers({
        // @ts-expect-error scope is required
        notes: { id: 'notes', partitionKeyPaths: ['/tenantId', '/id'], indexingPolicy: indexNothing, purpose: 'test' },
      }),
    ).toThrow('container "notes" has no valid scope');
  });
});
