import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { infraContainersJson } from '../../../local/tools/infra-containers';

describe('infra container declaration', () => {
  it('matches the containers the app creates (run `npm run infra:containers` after changing them)', () => {
    const committed = readFileSync(join(__dirname, '../../../infra/generated/cosmos-containers.json'), 'utf8');
    expect(committed).toBe(infraContainersJson());
  });

  it('puts tenantId first in every tenant container partition key', () => {
    const list = JSON.parse(infraContainersJson()) as { id: string; partitionKeyPaths: string[] }[];
    expect(list.length).toBeGreaterThan(0);
    for (const c of list) expect(c.partitionKeyPaths[0]).toBe('/tenantId');
  });
});
