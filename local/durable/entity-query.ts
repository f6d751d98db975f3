/**
 * Entity listing with the extension's paging contract: a page of at most `pageSize` entities ordered
 * by (name, key), and an opaque continuation token when more follow (sent and returned in the
 * `x-ms-continuation-token` header by the HTTP API).
 */
import { z } from 'zod';
import { appError, err, ok, type AppError, type Result } from '../../shared/core/result.js';
import type { EntityInstance } from './entity-table.js';

export interface EntityListOptions {
  readonly continuationToken?: string | undefined;
  readonly pageSize?: number | undefined;
  readonly fetchState?: boolean | undefined;
  readonly lastOperationFromMs?: number | undefined;
  readonly lastOperationToMs?: number | undefined;
}

export interface EntityListItem {
  readonly entityId: { readonly key: string; readonly name: string };
  /** ISO 8601, like the extension. */
  readonly lastOperationTime: string;
  /** Present only with `fetchState`; the parsed JSON state (null when the entity has none). */
  readonly state?: unknown;
}

export interface EntityListPage {
  readonly entities: EntityListItem[];
  readonly continuationToken: string | undefined;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

const tokenSchema = z.object({ n: z.string(), k: z.string() });

export function listEntityPage(instances: Iterable<EntityInstance>, options: EntityListOptions): Result<EntityListPage, AppError> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    return err(appError('DURABLE.INVALID_PAGE_SIZE', `The page size must be an integer from 1 to ${MAX_PAGE_SIZE}.`));
  }
  let after: { n: string; k: string } | undefined;
  if (options.continuationToken) {
    const decoded = decodeToken(options.continuationToken);
    if (!decoded) return err(appError('DURABLE.INVALID_CONTINUATION_TOKEN', 'The continuation token is not one this runtime issued.'));
    after = decoded;
  }
  const from = options.lastOperationFromMs ?? Number.NEGATIVE_INFINITY;
  const to = options.lastOperationToMs ?? Number.POSITIVE_INFINITY;
  const matching = [...instances]
    .filter((e) => e.exists && e.lastOperationMs >= from && e.lastOperationMs <= to)
    .filter((e) => !after || compare(e, after) > 0)
    .sort((a, b) => compare(a, { n: b.name, k: b.key }));
  const page = matching.slice(0, pageSize);
  const last = page[page.length - 1];
  const continuationToken = matching.length > pageSize && last ? encodeToken({ n: last.name, k: last.key }) : undefined;
  return ok({
    entities: page.map((e) => toItem(e, options.fetchState === true)),
    continuationToken,
  });
}

function toItem(e: EntityInstance, fetchState: boolean): EntityListItem {
  const base = { entityId: { key: e.key, name: e.name }, lastOperationTime: new Date(e.lastOperationMs).toISOString() };
  if (!fetchState) return base;
  return { ...base, state: e.state === undefined ? null : (JSON.parse(e.state) as unknown) };
}

function compare(e: EntityInstance, position: { n: string; k: string }): number {
  if (e.name !== position.n) return e.name < position.n ? -1 : 1;
  if (e.key !== position.k) return e.key < position.k ? -1 : 1;
  return 0;
}

function encodeToken(position: { n: string; k: string }): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

function decodeToken(token: string): { n: string; k: string } | undefined {
  try {
    const parsed = tokenSchema.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
