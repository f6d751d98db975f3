/**
 * Every Cosmos container of TradingTower, declared once: id, scope, hierarchical partition key,
 * indexing policy. `ensureCosmosSchema()` creates them from this list and infra/ deploys the same list.
 *
 * Two scopes, told apart by `scope`:
 * - `tenant`: tenant data. `/tenantId` is the first partition key level (the type refuses anything
 *   else), so every query the API can express is inside one tenant's partition. Only these are handed
 *   to the tenant repositories (`CosmosSchema.containers`).
 * - `market`: shared, public market data written by the market-data gateway. Its partition key never
 *   names `tenantId` (refused by the type and at runtime) and it holds no tenant data; it is handed
 *   out separately (`CosmosSchema.marketContainers`), never to a tenant repository.
 */

export interface IndexingPolicyDeclaration {
  readonly indexingMode: 'consistent';
  readonly automatic: true;
  readonly includedPaths: readonly { readonly path: string }[];
  readonly excludedPaths: readonly { readonly path: string }[];
}

interface ContainerDeclarationBase {
  readonly id: string;
  readonly indexingPolicy: IndexingPolicyDeclaration;
  /** What lives there, for readers of the declaration. */
  readonly purpose: string;
}

export interface TenantContainerDeclaration extends ContainerDeclarationBase {
  readonly scope: 'tenant';
  /** Hierarchical key paths, `/tenantId` first. */
  readonly partitionKeyPaths: readonly ['/tenantId', ...string[]];
}

export interface MarketContainerDeclaration extends ContainerDeclarationBase {
  readonly scope: 'market';
  /** Hierarchical key paths; never `/tenantId` (checked by `declareContainers`). */
  readonly partitionKeyPaths: readonly [string, ...string[]];
}

export type ContainerDeclaration = TenantContainerDeclaration | MarketContainerDeclaration;

const TENANT_ID_PATH = '/tenantId';

/** Makes a market container that names `/tenantId` anywhere in its partition key a compile error. */
type MarketKeysWithoutTenant<T> = {
  readonly [K in keyof T]: T[K] extends { readonly scope: 'market'; readonly partitionKeyPaths: readonly (infer P)[] }
    ? typeof TENANT_ID_PATH extends P
      ? { readonly partitionKeyPaths: readonly ['a market container must not be partitioned by /tenantId'] }
      : unknown
    : unknown;
};

/**
 * The one way to declare containers: keeps the literal types (so names and paths are checked where
 * they are used) and refuses, at compile time and again at runtime (for casts and plain JS), a
 * tenant container without `/tenantId` first or a market container whose key names `/tenantId`.
 */
export function declareContainers<const T extends Readonly<Record<string, ContainerDeclaration>>>(containers: T & MarketKeysWithoutTenant<T>): T {
  for (const [name, decl] of Object.entries(containers)) {
    const paths: readonly string[] = decl.partitionKeyPaths;
    if (decl.scope === 'tenant' && paths[0] !== TENANT_ID_PATH) throw new Error(`tenant container "${name}" must have ${TENANT_ID_PATH} as its first partition key path`);
    if (decl.scope === 'market' && paths.includes(TENANT_ID_PATH)) throw new Error(`market container "${name}" must not be partitioned by ${TENANT_ID_PATH}`);
    if (decl.scope !== 'tenant' && decl.scope !== 'market') throw new Error(`container "${name}" has no valid scope`);
  }
  return containers;
}

const indexAllExcept = (...paths: string[]): IndexingPolicyDeclaration => ({
  indexingMode: 'consistent',
  automatic: true,
  includedPaths: [{ path: '/*' }],
  excludedPaths: [{ path: '/"_etag"/?' }, ...paths.map((path) => ({ path }))],
});

export const CONTAINERS = declareContainers({
  connections: {
    id: 'connections',
    scope: 'tenant',
    partitionKeyPaths: ['/tenantId', '/id'],
    indexingPolicy: indexAllExcept('/lastTest/message/?'),
    purpose: 'Exchange connections (no secrets: credentials are in the secret store).',
  },
  apiTokens: {
    id: 'apiTokens',
    scope: 'tenant',
    partitionKeyPaths: ['/tenantId', '/id'],
    // Tokens are found by point read; the hash is never queried.
    indexingPolicy: indexAllExcept('/tokenHash/?'),
    purpose: 'Personal API tokens (SHA-256 hashes only).',
  },
  bots: {
    id: 'bots',
    scope: 'tenant',
    partitionKeyPaths: ['/tenantId', '/id'],
    indexingPolicy: indexAllExcept(),
    purpose: 'Bot documents: `id` is the bot id; `connectionId` and `status` are read by the connections repository.',
  },
  botEvents: {
    id: 'botEvents',
    scope: 'tenant',
    partitionKeyPaths: ['/tenantId', '/botId'],
    indexingPolicy: indexAllExcept('/data/*'),
    purpose: 'Append-only bot events (`id` = `{botId}-e{seq}`): commands, config versions, decisions, risk denials, orders, order updates, fills, reconciliation.',
  },
  botOrders: {
    id: 'botOrders',
    scope: 'tenant',
    partitionKeyPaths: ['/tenantId', '/botId'],
    indexingPolicy: indexAllExcept('/intent/*'),
    purpose: 'Bot orders by client order id `{botId}-{seq}`, with their latest status and fills.',
  },
  botEquity: {
    id: 'botEquity',
    scope: 'tenant',
    partitionKeyPaths: ['/tenantId', '/botId'],
    indexingPolicy: indexAllExcept(),
    purpose: 'Bot equity per bar (`id` = `{botId}-b{barTimeMs}`), for performance charts and statistics.',
  },
  backtests: {
    id: 'backtests',
    scope: 'tenant',
    partitionKeyPaths: ['/tenantId', '/jobId'],
    // Only the fields queries filter or sort on: part documents carry large number arrays that
    // would cost index storage and write RUs for nothing.
    indexingPolicy: {
      indexingMode: 'consistent',
      automatic: true,
      includedPaths: ['/type/?', '/kind/?', '/status/?', '/part/?', '/jobId/?', '/createdAtMs/?', '/leaseUntilMs/?'].map((path) => ({ path })),
      excludedPaths: [{ path: '/*' }],
    },
    purpose: 'Backtest and optimization jobs (`type: job`, `id` = jobId) and their parts (`type: part`: input bars, equity, trades, optimizer runs), one logical partition per job.',
  },
  hooks: {
    id: 'hooks',
    scope: 'tenant',
    partitionKeyPaths: ['/tenantId', '/id'],
    // Found by point read only (the hook id carries the tenant); nothing is queried.
    indexingPolicy: { indexingMode: 'consistent', automatic: true, includedPaths: [{ path: '/botId/?' }], excludedPaths: [{ path: '/*' }] },
    purpose: 'Bot webhooks: binding `bot-{botId}` (current hook id, passphrase SHA-256, signing key secret name, settings) and index `{hookId}` → bot.',
  },
  signals: {
    id: 'signals',
    scope: 'tenant',
    partitionKeyPaths: ['/tenantId', '/botId'],
    // Listed per bot, newest first, filtered by outcome; payloads are user data and never queried.
    indexingPolicy: {
      indexingMode: 'consistent',
      automatic: true,
      includedPaths: ['/tenantId/?', '/botId/?', '/outcome/?', '/receivedAtMs/?'].map((path) => ({ path })),
      excludedPaths: [{ path: '/*' }],
    },
    purpose: 'Webhook signal log: every request to a known hook with source, times, latency, outcome, reason and the payload without its passphrase.',
  },
  signalKeys: {
    id: 'signalKeys',
    scope: 'tenant',
    partitionKeyPaths: ['/tenantId', '/botId'],
    indexingPolicy: { indexingMode: 'consistent', automatic: true, includedPaths: [], excludedPaths: [{ path: '/*' }] },
    purpose: 'Webhook idempotency keys (`k-{sha256 of alert id or body}`) with their claim time; a key is a duplicate for 24 hours.',
  },
  candles: {
    id: 'candles',
    scope: 'market',
    partitionKeyPaths: ['/marketKey', '/timeframe'],
    // Every query runs inside one [marketKey, timeframe] partition and filters or sorts on the open
    // time only (latest bar, chart ranges, backtest ranges and counts); prices are never queried.
    indexingPolicy: { indexingMode: 'consistent', automatic: true, includedPaths: [{ path: '/openTimeMs/?' }], excludedPaths: [{ path: '/*' }] },
    purpose: 'Closed bars of every streamed market (`id` = open time ms), written by the market-data gateway and read by charts and backtests. Public market data, shared by all tenants.',
  },
});

export type ContainerName = keyof typeof CONTAINERS;
export type TenantContainerName = { [K in ContainerName]: (typeof CONTAINERS)[K]['scope'] extends 'tenant' ? K : never }[ContainerName];
export type MarketContainerName = Exclude<ContainerName, TenantContainerName>;

export const CONTAINER_NAMES = Object.keys(CONTAINERS) as ContainerName[];
export const TENANT_CONTAINER_NAMES = CONTAINER_NAMES.filter((name): name is TenantContainerName => CONTAINERS[name].scope === 'tenant');
export const MARKET_CONTAINER_NAMES = CONTAINER_NAMES.filter((name): name is MarketContainerName => CONTAINERS[name].scope === 'market');
