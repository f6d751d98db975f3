/**
 * The admin endpoints' view of durable entities. Admins act inside their own tenant: every key they
 * name is prefixed with their tenant (`{tenantId}:{id}`), and listings keep only that tenant's
 * entities. The durable list API has no key-prefix filter, so a listing scans the backend's pages
 * (500 entities each, at most 20 per request) and its continuation token remembers where it stopped,
 * including how many of a page's matches were already returned.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { appError, err, ok, type Result } from '../shared/core/result.js';
import { ENTITY } from '../shared/entity-names.js';
import type { AdminEntityName } from '../shared/schemas/bots-schemas.js';
import type { EntityPort } from './bots-durable.js';

/**
 * Route templates of the admin functions start with a constrained parameter because the Functions
 * host refuses templates beginning with the literal `admin` (reserved for its own admin API) even
 * under the `api` prefix; `{area:regex(^admin$)}` matches exactly the same URLs.
 */
export const ADMIN_ROUTE_PREFIX = '{area:regex(^admin$)}';

export const entityNameFor = (name: AdminEntityName): string => (name === 'bot' ? ENTITY.bot : ENTITY.account);

const SCAN_PAGE = 500;
const MAX_SCAN_CALLS = 20;

export interface AdminEntityItem {
  readonly name: AdminEntityName;
  /** The id part of the key (bot id or connection id); the tenant part is the caller's. */
  readonly id: string;
  readonly lastOperationTime: string;
  readonly summary: Readonly<Record<string, unknown>>;
}

const cursorSchema = z.object({ l: z.string(), c: z.string().nullable(), s: z.number().int().nonnegative() });
type Cursor = z.infer<typeof cursorSchema>;

const listId = (tenantId: string, name: string): string => createHash('sha256').update(JSON.stringify(['admin-entities', tenantId, name])).digest('base64url').slice(0, 16);

function decodeCursor(token: string, list: string): Cursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return parsed.success && parsed.data.l === list ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');

export async function listTenantEntities(
  port: EntityPort,
  tenantId: string,
  name: AdminEntityName,
  page: { readonly limit: number; readonly continuation?: string | undefined },
): Promise<Result<{ items: AdminEntityItem[]; continuationToken: string | null }>> {
  const list = listId(tenantId, name);
  const start = page.continuation === undefined ? { l: list, c: null, s: 0 } : decodeCursor(page.continuation, list);
  if (!start) {
    return err(appError('VALIDATION.FAILED', 'The continuation token is not valid for this list.', [{ path: 'query.continuation', message: 'is not a token returned by this list' }]));
  }
  const prefix = `${tenantId}:`;
  const items: AdminEntityItem[] = [];
  let cursor: string | null = start.c;
  let skip = start.s;
  for (let calls = 1; ; calls++) {
    const backend = await port.list(entityNameFor(name), { top: SCAN_PAGE, continuation: cursor });
    const available = backend.items.filter((i) => i.key.startsWith(prefix)).slice(skip);
    const taken = available.slice(0, page.limit - items.length);
    items.push(...taken.map((i) => ({ name, id: i.key.slice(prefix.length), lastOperationTime: i.lastOperationTime, summary: summarize(name, i.state) })));
    if (taken.length < available.length) return ok({ items, continuationToken: encodeCursor({ l: list, c: cursor, s: skip + taken.length }) });
    if (backend.continuation === null) return ok({ items, continuationToken: null });
    cursor = backend.continuation;
    skip = 0;
    if (items.length >= page.limit || calls >= MAX_SCAN_CALLS) return ok({ items, continuationToken: encodeCursor({ l: list, c: cursor, s: 0 }) });
  }
}

const botSummarySchema = z.object({
  machine: z.object({
    status: z.string(),
    configVersion: z.number(),
    runningConfigVersion: z.number().nullable(),
    reason: z.object({ code: z.string(), message: z.string() }).nullable(),
    config: z.object({ name: z.string(), connectionId: z.string(), market: z.object({ exchange: z.string(), symbol: z.string(), timeframe: z.string() }), strategy: z.object({ id: z.string() }) }),
  }),
  runner: z.object({ barsProcessed: z.number(), lastBarTimeMs: z.number().nullable(), seq: z.number() }),
  openOrders: z.record(z.string(), z.unknown()),
  eventSeq: z.number(),
});

const accountSummarySchema = z.object({
  currency: z.string(),
  startingBalance: z.number(),
  books: z.record(z.string(), z.object({ attached: z.boolean() })),
  markets: z.record(z.string(), z.unknown()),
});

/** A few fields of an entity's state for listings; the full state is at GET …/{name}/{id}. */
export function summarize(name: AdminEntityName, state: unknown): Record<string, unknown> {
  if (name === 'bot') {
    const bot = botSummarySchema.safeParse(state);
    if (!bot.success) return { unreadable: true };
    const { machine, runner } = bot.data;
    return {
      status: machine.status, name: machine.config.name, strategy: machine.config.strategy.id, market: machine.config.market, connectionId: machine.config.connectionId,
      configVersion: machine.configVersion, runningConfigVersion: machine.runningConfigVersion, reason: machine.reason,
      barsProcessed: runner.barsProcessed, lastBarTimeMs: runner.lastBarTimeMs, lastOrderSeq: runner.seq, openOrders: Object.keys(bot.data.openOrders).length, events: bot.data.eventSeq,
    };
  }
  const account = accountSummarySchema.safeParse(state);
  if (!account.success) return { unreadable: true };
  const books = Object.values(account.data.books);
  return {
    currency: account.data.currency, startingBalance: account.data.startingBalance, books: books.length, attachedBooks: books.filter((b) => b.attached).length,
    markets: Object.keys(account.data.markets),
  };
}
