/** The local durable runtime: what the host mounts and what tests and the admin API use. */
export { LocalDurableRuntime } from './local-durable-runtime.js';
export type {
  BatchCommittedEvent,
  DurableRuntimeStatus,
  EntityHandler,
  EntityStateView,
  LocalDurableRuntimeOptions,
} from './local-durable-runtime.js';
export { DURABLE_API_PREFIX, durableClientBindingValue } from './durable-client-binding.js';
export type { DurableClientBindingValue } from './durable-client-binding.js';
export type { EntityListItem, EntityListOptions, EntityListPage } from './entity-query.js';
