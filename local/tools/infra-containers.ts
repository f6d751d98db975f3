/** The Cosmos containers infra/ deploys, derived from the one declaration the app uses at start. */
import { CONTAINERS } from '../../shared/adapters/cosmos/cosmos-containers.js';

export function infraContainersJson(): string {
  const list = Object.values(CONTAINERS).map((c) => ({ id: c.id, partitionKeyPaths: c.partitionKeyPaths, indexingPolicy: c.indexingPolicy }));
  return `${JSON.stringify(list, null, 2)}\n`;
}
