/**
 * Bot events, orders, equity and the bot document. Writes are upserts by deterministic id (the bot
 * entity re-running an operation rewrites the same documents, never adds one); reads are tenant-scoped
 * pages, newest first, for the bots API.
 */
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import type { BotDocument, BotEquityRecord, BotEvent, BotOrderRecord } from '../../bots/bot-records.js';
import type { Result } from '../../core/result.js';
import { queryTenantPage, readTenantItem, requireTenantId, type PageRequest, type StoredPage, type Stored } from './tenant-scoped.js';

export interface BotRecordContainers {
  readonly bots: Container;
  readonly botEvents: Container;
  readonly botOrders: Container;
  readonly botEquity: Container;
}

export interface BotRecordWrites {
  readonly events: readonly BotEvent[];
  readonly orders: readonly BotOrderRecord[];
  readonly equity: readonly BotEquityRecord[];
  readonly document: BotDocument | null;
}

/** Stored shapes are checked when read back; system fields are stripped. */
const eventSchema = z.object({
  id: z.string(), tenantId: z.string(), botId: z.string(), seq: z.number(), type: z.string(), atMs: z.number(), barTimeMs: z.number().nullable(),
  message: z.string(), code: z.string().nullable(), data: z.record(z.string(), z.unknown()),
}) as unknown as z.ZodType<BotEvent>;
const orderSchema = z.object({
  id: z.string(), tenantId: z.string(), botId: z.string(), seq: z.number(), intent: z.record(z.string(), z.unknown()), status: z.string(), statusReason: z.string(),
  barTimeMs: z.number().nullable(), filledQuantity: z.number(), averagePrice: z.number().nullable(), fees: z.number(), createdAtMs: z.number(), updatedAtMs: z.number(),
}) as unknown as z.ZodType<BotOrderRecord>;
const equitySchema = z.object({
  id: z.string(), tenantId: z.string(), botId: z.string(), barTimeMs: z.number(), equity: z.number(), balance: z.number(),
  positionSide: z.union([z.literal(1), z.literal(-1), z.literal(0)]), positionQty: z.number(), close: z.number(),
}) as z.ZodType<BotEquityRecord>;
const documentSchema = z.object({
  id: z.string(), tenantId: z.string(), name: z.string(), connectionId: z.string(), status: z.string(), configVersion: z.number(),
  runningConfigVersion: z.number().nullable(), config: z.record(z.string(), z.unknown()), reason: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAtMs: z.number(), updatedAtMs: z.number(), deleted: z.boolean(),
}) as unknown as z.ZodType<BotDocument>;

/** Most writes one operation issues at once (a bar of a busy bot writes a handful). */
const WRITE_CONCURRENCY = 16;

export class BotRecordsRepository {
  constructor(private readonly c: BotRecordContainers) {}

  /** Writes everything one entity operation produced; idempotent. */
  async write(writes: BotRecordWrites): Promise<void> {
    const jobs: (() => Promise<unknown>)[] = [
      ...writes.events.map((e) => () => this.c.botEvents.items.upsert(e)),
      ...writes.orders.map((o) => () => this.c.botOrders.items.upsert(o)),
      ...writes.equity.map((q) => () => this.c.botEquity.items.upsert(q)),
      ...(writes.document ? [() => this.c.bots.items.upsert(writes.document!)] : []),
    ];
    for (let i = 0; i < jobs.length; i += WRITE_CONCURRENCY) await Promise.all(jobs.slice(i, i + WRITE_CONCURRENCY).map((job) => job()));
  }

  getBot(tenantId: string, botId: string): Promise<Stored<BotDocument> | undefined> {
    return readTenantItem(this.c.bots, tenantId, botId, documentSchema);
  }

  listBots(tenantId: string, page: PageRequest): Promise<Result<StoredPage<BotDocument>>> {
    return queryTenantPage(
      this.c.bots, tenantId,
      { query: 'SELECT * FROM c WHERE c.tenantId = @tenantId AND c.deleted = false ORDER BY c.createdAtMs DESC', parameters: [{ name: '@tenantId', value: tenantId }] },
      page, documentSchema,
    );
  }

  /** Events of one bot, newest first; `types` narrows to some event types (e.g. `['fill']`). */
  listEvents(tenantId: string, botId: string, page: PageRequest, types?: readonly string[]): Promise<Result<StoredPage<BotEvent>>> {
    requireTenantId(tenantId);
    const typeFilter = types && types.length > 0 ? ' AND ARRAY_CONTAINS(@types, c.type)' : '';
    return queryTenantPage(
      this.c.botEvents, tenantId,
      {
        query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.botId = @botId${typeFilter} ORDER BY c.seq DESC`,
        parameters: [{ name: '@tenantId', value: tenantId }, { name: '@botId', value: botId }, ...(typeFilter ? [{ name: '@types', value: [...types!] }] : [])],
      },
      page, eventSchema,
    );
  }

  listOrders(tenantId: string, botId: string, page: PageRequest): Promise<Result<StoredPage<BotOrderRecord>>> {
    return queryTenantPage(
      this.c.botOrders, tenantId,
      { query: 'SELECT * FROM c WHERE c.tenantId = @tenantId AND c.botId = @botId ORDER BY c.seq DESC', parameters: [{ name: '@tenantId', value: tenantId }, { name: '@botId', value: botId }] },
      page, orderSchema,
    );
  }

  listEquity(tenantId: string, botId: string, page: PageRequest): Promise<Result<StoredPage<BotEquityRecord>>> {
    return queryTenantPage(
      this.c.botEquity, tenantId,
      { query: 'SELECT * FROM c WHERE c.tenantId = @tenantId AND c.botId = @botId ORDER BY c.barTimeMs DESC', parameters: [{ name: '@tenantId', value: tenantId }, { name: '@botId', value: botId }] },
      page, equitySchema,
    );
  }
}
