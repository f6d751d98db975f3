/**
 * The Cosmos containers infra/ deploys, derived from the one declaration the app uses at start:
 * tenant-scoped containers and the shared market-data container (`candles`) alike. `scope` is
 * carried for readers of the JSON; Bicep deploys both kinds the same way.
 */
import { CONTAINERS } from '../../shared/adapters/cosmos/cosmos-containers.js';

export function infraContainersJson(): string {
  const list = Object.values(CONTAINERS).map((c) => ({ id: c.id, scope: c.scope, partitionKeyPaths: c.partitionKeyPaths, indexingPolicy: c.indexingPolicy }));
  return `${JSON.stringify(list, null, 2)}\n`;
}
