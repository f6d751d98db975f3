import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { infraContainersJson } from '../../../local/tools/infra-containers';

interface InfraContainer {
  id: string;
  scope: 'tenant' | 'market';
  partitionKeyPaths: string[];
  indexingPolicy: { includedPaths: { path: string }[]; excludedPaths: { path: string }[] };
}

const generated = (): InfraContainer[] => JSON.parse(infraContainersJson()) as InfraContainer[];

describe('infra container declaration', () => {
  it('matches the containers the app creates (run `npm run infra:containers` after changing them)', () => {
    const committed = readFileSync(join(__dirname, '../../../infra/generated/cosmos-containers.json'), 'utf8');
    expect(committed).toBe(infraContainersJson());
  });

  it('puts tenantId first in every tenant container partition key', () => {
    const tenant = generated().filter((c) => c.scope === 'tenant');
    expect(tenant.length).toBeGreaterThan(0);
    for (const c of tenant) expect(c.partitionKeyPaths[0]).toBe('/tenantId');
  });

  it('deploys candles as the only market container, partitioned by market and timeframe and indexed on open time only', () => {
    const market = generated().filter((c) => c.scope !== 'tenant');
    expect(market).toEqual([
      {
        id: 'candles',
        scope: 'market',
        partitionKeyPaths: ['/marketKey', '/timeframe'],
        indexingPolicy: { indexingMode: 'consistent', automatic: true, includedPaths: [{ path: '/openTimeMs/?' }], excludedPaths: [{ path: '/*' }] },
      },
    ]);
  });
});
