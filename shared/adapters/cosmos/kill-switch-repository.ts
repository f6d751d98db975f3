/**
 * The tenant's kill switch: one document per tenant. It lives in the `bots` container (partition
 * `[tenantId, "kill-switch"]`) because it is read wherever bots are started; bot ids are hex, so the
 * id `kill-switch` never collides with a bot, and bot documents are told apart by `docType`.
 * Writes are ETag-guarded so two concurrent changes cannot silently overwrite each other.
 */
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { ok, type Result } from '../../core/result.js';
import { cosmosStatus } from './cosmos-errors.js';
import { readTenantItem, requireTenantId, staleEtag, stored, type Stored } from './tenant-scoped.js';

export const KILL_SWITCH_DOC_ID = 'kill-switch';
export const KILL_SWITCH_DOC_TYPE = 'kill-switch';

const botActionSchema = z.object({
  botId: z.string(),
  /** The one operation the bot was sent, or why none was needed. */
  action: z.enum(['stop', 'kill', 'none']),
  statusBefore: z.string(),
  statusAfter: z.string().nullable(),
});

export const killSwitchRecordSchema = z.object({
  id: z.literal(KILL_SWITCH_DOC_ID),
  tenantId: z.string(),
  docType: z.literal(KILL_SWITCH_DOC_TYPE),
  engaged: z.boolean(),
  flatten: z.boolean(),
  /** Who engaged or released it last (`user:<id>` / `token:<id>`), and when. */
  changedBy: z.string(),
  changedAtMs: z.number(),
  engagedAtMs: z.number().nullable(),
  /** What the last engagement did to each bot. */
  lastRun: z.object({ atMs: z.number(), bots: z.array(botActionSchema) }).nullable(),
});

export type KillSwitchRecord = z.infer<typeof killSwitchRecordSchema>;
export type KillSwitchBotAction = z.infer<typeof botActionSchema>;

export const releasedKillSwitch = (tenantId: string): KillSwitchRecord => ({
  id: KILL_SWITCH_DOC_ID,
  tenantId,
  docType: KILL_SWITCH_DOC_TYPE,
  engaged: false,
  flatten: false,
  changedBy: 'system',
  changedAtMs: 0,
  engagedAtMs: null,
  lastRun: null,
});

export class KillSwitchRepository {
  constructor(private readonly bots: Container) {}

  /** The tenant's kill switch; a tenant that never used it has a released one (etag empty). */
  async get(tenantId: string): Promise<Stored<KillSwitchRecord>> {
    const found = await readTenantItem(this.bots, tenantId, KILL_SWITCH_DOC_ID, killSwitchRecordSchema);
    return found ?? { record: releasedKillSwitch(tenantId), etag: '' };
  }

  async isEngaged(tenantId: string): Promise<boolean> {
    return (await this.get(tenantId)).record.engaged;
  }

  /** Creates (empty `ifMatch`) or replaces the document; CONFLICT when it changed since it was read. */
  async save(tenantId: string, record: KillSwitchRecord, ifMatch: string): Promise<Result<Stored<KillSwitchRecord>>> {
    requireTenantId(tenantId);
    if (record.tenantId !== tenantId) throw new Error('kill switch record belongs to another tenant');
    try {
      const { resource } =
        ifMatch === ''
          ? await this.bots.items.create(record)
          : await this.bots.item(KILL_SWITCH_DOC_ID, [tenantId, KILL_SWITCH_DOC_ID]).replace(record, { accessCondition: { type: 'IfMatch', condition: ifMatch } });
      return ok(stored(killSwitchRecordSchema, resource));
    } catch (e) {
      const status = cosmosStatus(e);
      if (status === 409 || status === 412 || status === 404) return staleEtag('kill switch');
      throw e;
    }
  }
}
