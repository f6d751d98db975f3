/**
 * The signal log (container `signals`) and the idempotency keys (container `signalKeys`), both
 * partitioned `[tenantId, botId]`, plus the read of the bot document the intake checks.
 *
 * Idempotency without TTL or transactional batch (the emulator has neither): the key document id
 * is `k-{sha256}` and claiming is a create, so of two concurrent claims exactly one wins (409 for the
 * other). The 24-hour window is enforced by the stored claim time: an expired key is taken over with
 * an ETag-guarded replace, so again only one taker wins.
 */
import type { Container, ItemDefinition } from '@azure/cosmos';
import { z } from 'zod';
import { appError, err, ok, type Result } from '../../core/result.js';
import type { ClaimResult, BotSnapshot } from '../../signals/signal-intake.js';
import { IDEMPOTENCY_WINDOW_MS } from '../../signals/signal-intake.js';
import type { ReplayMark, SignalOutcome, SignalRecord } from '../../signals/signal-record.js';
import { signalRecordSchema } from '../../signals/signal-record.js';
import { cosmosStatus } from './cosmos-errors.js';
import { queryTenantPage, requireTenantId, stored, type Stored, type StoredPage } from './tenant-scoped.js';

const keySchema = z.object({ id: z.string(), tenantId: z.string(), botId: z.string(), signalId: z.string(), claimedAtMs: z.number() });
type KeyRecord = z.infer<typeof keySchema>;

const keyDocumentId = (keyHash: string): string => `k-${keyHash}`;

/** Only what the intake needs from the bots container's document (its owner defines the rest). */
const botDocumentSchema = z.object({
  status: z.string(),
  deleted: z.boolean().optional(),
  config: z.object({ strategy: z.object({ id: z.string() }), market: z.object({ symbol: z.string() }) }),
});

export interface SignalListQuery {
  readonly limit: number;
  readonly continuation?: string | undefined;
  readonly outcome?: SignalOutcome | undefined;
}

export class SignalsRepository {
  constructor(
    private readonly signals: Container,
    private readonly keys: Container,
    private readonly bots: Container,
  ) {}

  async record(record: SignalRecord): Promise<void> {
    requireTenantId(record.tenantId);
    // Upsert: ids are random and unique; the only rewrite is the intake correcting its own entry.
    await this.signals.items.upsert(record);
  }

  async get(tenantId: string, botId: string, signalId: string): Promise<Stored<SignalRecord> | undefined> {
    requireTenantId(tenantId);
    const { resource, statusCode } = await this.signals.item(signalId, [tenantId, botId]).read<ItemDefinition>();
    if (statusCode === 404 || !resource) return undefined;
    return stored(signalRecordSchema, resource);
  }

  /** Newest first, optionally one outcome. */
  list(tenantId: string, botId: string, query: SignalListQuery): Promise<Result<StoredPage<SignalRecord>>> {
    const parameters = [
      { name: '@tenantId', value: tenantId },
      { name: '@botId', value: botId },
      ...(query.outcome ? [{ name: '@outcome', value: query.outcome }] : []),
    ];
    const where = `c.tenantId = @tenantId AND c.botId = @botId${query.outcome ? ' AND c.outcome = @outcome' : ''}`;
    return queryTenantPage(this.signals, tenantId, { query: `SELECT * FROM c WHERE ${where} ORDER BY c.receivedAtMs DESC`, parameters }, query, signalRecordSchema);
  }

  /** Sets or clears the replay mark if the record is still `etag`; CONFLICT when someone else got there first. */
  async setReplayed(record: SignalRecord, etag: string, mark: ReplayMark | null): Promise<Result<Stored<SignalRecord>>> {
    requireTenantId(record.tenantId);
    try {
      const { resource } = await this.signals
        .item(record.id, [record.tenantId, record.botId])
        .replace({ ...record, replayed: mark }, { accessCondition: { type: 'IfMatch', condition: etag } });
      return ok(stored(signalRecordSchema, resource));
    } catch (e) {
      if (cosmosStatus(e) === 412) return err(appError('SIGNAL.NOT_REPLAYABLE', 'This signal is being replayed or was replayed already.', { reason: 'already-replayed' }));
      throw e;
    }
  }

  async claimKey(tenantId: string, botId: string, keyHash: string, signalId: string, nowMs: number): Promise<ClaimResult> {
    requireTenantId(tenantId);
    const doc: KeyRecord = { id: keyDocumentId(keyHash), tenantId, botId, signalId, claimedAtMs: nowMs };
    try {
      await this.keys.items.create(doc);
      return { claimed: true };
    } catch (e) {
      if (cosmosStatus(e) !== 409) throw e;
    }
    const existing = await this.readKey(tenantId, botId, keyHash);
    if (!existing) return this.claimKey(tenantId, botId, keyHash, signalId, nowMs); // released meanwhile
    if (nowMs - existing.record.claimedAtMs < IDEMPOTENCY_WINDOW_MS) return { claimed: false, duplicateOf: existing.record.signalId };
    try {
      await this.keys.item(doc.id, [tenantId, botId]).replace(doc, { accessCondition: { type: 'IfMatch', condition: existing.etag } });
      return { claimed: true };
    } catch (e) {
      if (cosmosStatus(e) !== 412 && cosmosStatus(e) !== 404) throw e;
      const winner = await this.readKey(tenantId, botId, keyHash);
      return winner ? { claimed: false, duplicateOf: winner.record.signalId } : this.claimKey(tenantId, botId, keyHash, signalId, nowMs);
    }
  }

  /** Frees a key this signal claimed (its hand-off failed), unless another signal holds it now. */
  async releaseKey(tenantId: string, botId: string, keyHash: string, signalId: string): Promise<void> {
    const existing = await this.readKey(tenantId, botId, keyHash);
    if (!existing || existing.record.signalId !== signalId) return;
    try {
      await this.keys.item(existing.record.id, [tenantId, botId]).delete({ accessCondition: { type: 'IfMatch', condition: existing.etag } });
    } catch (e) {
      if (cosmosStatus(e) !== 412 && cosmosStatus(e) !== 404) throw e;
    }
  }

  /** The bot as the intake needs it; undefined when absent or deleted. */
  async findBot(tenantId: string, botId: string): Promise<BotSnapshot | undefined> {
    requireTenantId(tenantId);
    const { resource, statusCode } = await this.bots.item(botId, [tenantId, botId]).read<ItemDefinition>();
    if (statusCode === 404 || !resource) return undefined;
    const doc = botDocumentSchema.safeParse(resource);
    if (!doc.success || doc.data.deleted === true) return undefined;
    return { status: doc.data.status, strategyId: doc.data.config.strategy.id, symbol: doc.data.config.market.symbol };
  }

  private async readKey(tenantId: string, botId: string, keyHash: string): Promise<Stored<KeyRecord> | undefined> {
    const { resource, statusCode } = await this.keys.item(keyDocumentId(keyHash), [tenantId, botId]).read<ItemDefinition>();
    if (statusCode === 404 || !resource) return undefined;
    return stored(keySchema, resource);
  }
}
