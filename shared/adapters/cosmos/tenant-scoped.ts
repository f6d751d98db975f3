/**
 * Helpers shared by the tenant repositories. Every query goes through `queryTenantPage`, which sets
 * the partition key to the tenant prefix: Cosmos then serves it from that tenant's partition only, so
 * no API code path can read across tenants even with a wrong WHERE clause. They also refuse the shared
 * market containers (`candles`): those hold no tenant data and are never given to a tenant repository
 * (`CosmosSchema.containers` does not even name them); the check catches wiring mistakes at once.
 */
import { createHash } from 'node:crypto';
import type { Container, ItemDefinition, SqlQuerySpec } from '@azure/cosmos';
import { z } from 'zod';
import { appError, err, ok, type Result } from '../../core/result.js';
import { CONTAINERS, MARKET_CONTAINER_NAMES } from './cosmos-containers.js';
import { cosmosStatus } from './cosmos-errors.js';

const TENANT_ID = /^[0-9a-f]{32}$/;

/** A wrong tenant id is a programming error, not user input: fail loudly. */
export function requireTenantId(tenantId: string): void {
  if (!TENANT_ID.test(tenantId)) throw new Error('repository called without a valid tenantId');
}

const MARKET_CONTAINER_IDS: ReadonlySet<string> = new Set(MARKET_CONTAINER_NAMES.map((name) => CONTAINERS[name].id));

/** A tenant read on a shared market container is a programming error: fail loudly. */
export function requireTenantContainer(container: Container): void {
  if (MARKET_CONTAINER_IDS.has(container.id)) throw new Error(`tenant repository used on the shared market container "${container.id}"`);
}

export interface Stored<T> {
  readonly record: T;
  readonly etag: string;
}

export interface PageRequest {
  readonly limit: number;
  readonly continuation?: string | undefined;
}

export interface StoredPage<T> {
  readonly items: readonly Stored<T>[];
  readonly continuationToken: string | null;
}

export function stored<T>(schema: z.ZodType<T>, doc: ItemDefinition | undefined): Stored<T> {
  const etag = typeof doc?._etag === 'string' ? doc._etag : '';
  return { record: schema.parse(doc), etag };
}

/**
 * Clients get Cosmos continuation tokens wrapped and base64url-encoded: the wrapper names the list it
 * belongs to (hash of tenant + query), so a token from another list is refused with a clear 400 by us
 * rather than by whatever the backend does with it. Scoping itself never depends on the token: every
 * query runs with the tenant's partition key.
 */
const wrappedContinuation = z.object({ l: z.string(), c: z.string() });
const listKey = (tenantId: string, query: SqlQuerySpec): string => createHash('sha256').update(JSON.stringify([tenantId, query.query])).digest('base64url').slice(0, 16);
const encodeContinuation = (list: string, token: string): string => Buffer.from(JSON.stringify({ l: list, c: token }), 'utf8').toString('base64url');

function decodeContinuation(list: string, token: string): string | undefined {
  try {
    const parsed = wrappedContinuation.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return parsed.success && parsed.data.l === list ? parsed.data.c : undefined;
  } catch {
    return undefined;
  }
}

const badContinuation = () =>
  err(appError('VALIDATION.FAILED', 'The continuation token is not valid for this list.', [{ path: 'query.continuation', message: 'is not a token returned by this list' }]));

export async function queryTenantPage<T>(
  container: Container,
  tenantId: string,
  query: SqlQuerySpec,
  page: PageRequest,
  schema: z.ZodType<T>,
): Promise<Result<StoredPage<T>>> {
  requireTenantId(tenantId);
  requireTenantContainer(container);
  const list = listKey(tenantId, query);
  const continuationToken = page.continuation === undefined ? undefined : decodeContinuation(list, page.continuation);
  if (page.continuation !== undefined && continuationToken === undefined) return badContinuation();
  const iterator = container.items.query<ItemDefinition>(query, { partitionKey: [tenantId], maxItemCount: page.limit, continuationToken });
  try {
    const response = await iterator.fetchNext();
    return ok({
      items: response.resources.map((doc) => stored(schema, doc)),
      continuationToken: response.continuationToken ? encodeContinuation(list, response.continuationToken) : null,
    });
  } catch (e) {
    if (continuationToken !== undefined && cosmosStatus(e) === 400) return badContinuation();
    throw e;
  }
}

export const notFound = (what: string) => err(appError('NOT_FOUND', `No such ${what}.`));
export const staleEtag = (what: string) =>
  err(appError('CONFLICT', `The ${what} changed since you read it (ETag mismatch). Read it again and retry.`, { reason: 'etag-mismatch' }));

/** Reads one item of the tenant; undefined when absent. */
export async function readTenantItem<T>(container: Container, tenantId: string, id: string, schema: z.ZodType<T>): Promise<Stored<T> | undefined> {
  requireTenantId(tenantId);
  requireTenantContainer(container);
  const { resource, statusCode } = await container.item(id, [tenantId, id]).read<ItemDefinition>();
  if (statusCode === 404 || !resource) return undefined;
  return stored(schema, resource);
}
