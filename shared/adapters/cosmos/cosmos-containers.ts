/**
 * Every Cosmos container of TradingTower, declared once: id, hierarchical partition key (tenantId
 * first, so every query the API can express is inside one tenant's partition), indexing policy.
 * `ensureCosmosSchema()` creates them from this list and infra/ deploys the same list.
 */

export interface ContainerDeclaration {
  readonly id: string;
  /** Hierarchical key paths, `/tenantId` first. */
  readonly partitionKeyPaths: readonly ['/tenantId', ...string[]];
  readonly indexingPolicy: {
    readonly indexingMode: 'consistent';
    readonly automatic: true;
    readonly includedPaths: readonly { readonly path: string }[];
    readonly excludedPaths: readonly { readonly path: string }[];
  };
  /** What lives there, for readers of the declaration. */
  readonly purpose: string;
}

const indexAllExcept = (...paths: string[]): ContainerDeclaration['indexingPolicy'] => ({
  indexingMode: 'consistent',
  automatic: true,
  includedPaths: [{ path: '/*' }],
  excludedPaths: [{ path: '/"_etag"/?' }, ...paths.map((path) => ({ path }))],
});

export const CONTAINERS = {
  connections: {
    id: 'connections',
    partitionKeyPaths: ['/tenantId', '/id'],
    indexingPolicy: indexAllExcept('/lastTest/message/?'),
    purpose: 'Exchange connections (no secrets: credentials are in the secret store).',
  },
  apiTokens: {
    id: 'apiTokens',
    partitionKeyPaths: ['/tenantId', '/id'],
    // Tokens are found by point read; the hash is never queried.
    indexingPolicy: indexAllExcept('/tokenHash/?'),
    purpose: 'Personal API tokens (SHA-256 hashes only).',
  },
  bots: {
    id: 'bots',
    partitionKeyPaths: ['/tenantId', '/id'],
    indexingPolicy: indexAllExcept(),
    purpose: 'Bot documents: `id` is the bot id; `connectionId` and `status` are read by the connections repository.',
  },
  botEvents: {
    id: 'botEvents',
    partitionKeyPaths: ['/tenantId', '/botId'],
    indexingPolicy: indexAllExcept('/data/*'),
    purpose: 'Append-only bot events (`id` = `{botId}-e{seq}`): commands, config versions, decisions, risk denials, orders, order updates, fills, reconciliation.',
  },
  botOrders: {
    id: 'botOrders',
    partitionKeyPaths: ['/tenantId', '/botId'],
    indexingPolicy: indexAllExcept('/intent/*'),
    purpose: 'Bot orders by client order id `{botId}-{seq}`, with their latest status and fills.',
  },
  botEquity: {
    id: 'botEquity',
    partitionKeyPaths: ['/tenantId', '/botId'],
    indexingPolicy: indexAllExcept(),
    purpose: 'Bot equity per bar (`id` = `{botId}-b{barTimeMs}`), for performance charts and statistics.',
  },
  backtests: {
    id: 'backtests',
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
    partitionKeyPaths: ['/tenantId', '/id'],
    // Found by point read only (the hook id carries the tenant); nothing is queried.
    indexingPolicy: { indexingMode: 'consistent', automatic: true, includedPaths: [{ path: '/botId/?' }], excludedPaths: [{ path: '/*' }] },
    purpose: 'Bot webhooks: binding `bot-{botId}` (current hook id, passphrase SHA-256, signing key secret name, settings) and index `{hookId}` → bot.',
  },
  signals: {
    id: 'signals',
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
    partitionKeyPaths: ['/tenantId', '/botId'],
    indexingPolicy: { indexingMode: 'consistent', automatic: true, includedPaths: [], excludedPaths: [{ path: '/*' }] },
    purpose: 'Webhook idempotency keys (`k-{sha256 of alert id or body}`) with their claim time; a key is a duplicate for 24 hours.',
  },
} as const satisfies Record<string, ContainerDeclaration>;

export type ContainerName = keyof typeof CONTAINERS;
export const CONTAINER_NAMES = Object.keys(CONTAINERS) as ContainerName[];
