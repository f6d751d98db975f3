/**
 * Webhook documents of one tenant (container `hooks`, partition `[tenantId, id]`): the binding
 * `bot-{botId}` (source of truth: current hook id, passphrase hash, key secret name, settings) and
 * the index `{hookId}` → bot. See shared/signals/hook-records.ts for why there are two.
 *
 * Rotation switches the binding with an ETag-guarded replace, so exactly one hook id is live at any
 * moment; the old index is deleted afterwards and is dead even if that delete fails.
 */
import type { Container, ItemDefinition } from '@azure/cosmos';
import { appError, err, ok, type Result } from '../../core/result.js';
import type { HookBindingRecord, HookIndexRecord } from '../../signals/hook-records.js';
import { bindingDocumentId, hookBindingRecordSchema, hookIndexRecordSchema, tenantOfHookId } from '../../signals/hook-records.js';
import { cosmosStatus } from './cosmos-errors.js';
import { requireTenantId, stored, type Stored } from './tenant-scoped.js';

const TENANT_ID = /^[0-9a-f]{32}$/;

export class HooksRepository {
  constructor(private readonly hooks: Container) {}

  async findBinding(tenantId: string, botId: string): Promise<Stored<HookBindingRecord> | undefined> {
    requireTenantId(tenantId);
    return this.read(tenantId, bindingDocumentId(botId), (doc) => stored(hookBindingRecordSchema, doc));
  }

  /**
   * The live binding of a hook id, or undefined for ids that are malformed, unknown, disabled or
   * rotated away (all alike). The tenant comes from the id itself.
   */
  async resolve(hookId: string): Promise<HookBindingRecord | undefined> {
    const index = await this.findIndex(hookId);
    if (!index) return undefined;
    const binding = await this.findBinding(index.tenantId, index.botId);
    return binding?.record.hookId === hookId ? binding.record : undefined;
  }

  /** The index document of a hook id (which may be dead: check the binding). The tenant comes from the id. */
  async findIndex(hookId: string): Promise<HookIndexRecord | undefined> {
    const tenantId = tenantOfHookId(hookId);
    if (!TENANT_ID.test(tenantId)) return undefined;
    const index = await this.read(tenantId, hookId, (doc) => hookIndexRecordSchema.parse(doc));
    return index?.tenantId === tenantId ? index : undefined;
  }

  /** Enables the bot's hook; CONFLICT when it already has one. */
  async create(binding: HookBindingRecord, index: HookIndexRecord): Promise<Result<Stored<HookBindingRecord>>> {
    this.checkTenant(binding, index);
    await this.hooks.items.create(index);
    try {
      const { resource } = await this.hooks.items.create(binding);
      return ok(stored(hookBindingRecordSchema, resource));
    } catch (e) {
      await this.deleteQuietly(index.tenantId, index.id);
      if (cosmosStatus(e) === 409) return err(appError('CONFLICT', 'This bot already has a webhook; rotate it to get new credentials.', { reason: 'hook-exists' }));
      throw e;
    }
  }

  /** Replaces the binding if it is still `etag` (rotation or settings); the new index must exist first. */
  async replace(next: HookBindingRecord, etag: string, newIndex: HookIndexRecord | null): Promise<Result<Stored<HookBindingRecord>>> {
    this.checkTenant(next, newIndex);
    if (newIndex) await this.hooks.items.create(newIndex);
    try {
      const { resource } = await this.hooks.item(next.id, [next.tenantId, next.id]).replace(next, { accessCondition: { type: 'IfMatch', condition: etag } });
      return ok(stored(hookBindingRecordSchema, resource));
    } catch (e) {
      if (newIndex) await this.deleteQuietly(newIndex.tenantId, newIndex.id);
      const status = cosmosStatus(e);
      if (status === 412 || status === 404) {
        return err(appError('CONFLICT', 'The webhook changed while it was being updated; read it again and retry.', { reason: 'etag-mismatch' }));
      }
      throw e;
    }
  }

  /** Disables the bot's hook: the binding first (the id stops working), then its index. */
  async delete(tenantId: string, botId: string, etag?: string): Promise<Result<HookBindingRecord>> {
    const current = await this.findBinding(tenantId, botId);
    if (!current) return err(appError('NOT_FOUND', 'This bot has no webhook.'));
    try {
      await this.hooks.item(current.record.id, [tenantId, current.record.id]).delete(etag ? { accessCondition: { type: 'IfMatch', condition: etag } } : {});
    } catch (e) {
      const status = cosmosStatus(e);
      if (status === 412) return err(appError('CONFLICT', 'The webhook changed since you read it (ETag mismatch).', { reason: 'etag-mismatch' }));
      if (status === 404) return err(appError('NOT_FOUND', 'This bot has no webhook.'));
      throw e;
    }
    await this.deleteQuietly(tenantId, current.record.hookId);
    return ok(current.record);
  }

  /** Removes a dead index document; a failure leaves a harmless orphan (its binding names another id). */
  async deleteQuietly(tenantId: string, id: string): Promise<boolean> {
    try {
      await this.hooks.item(id, [tenantId, id]).delete();
      return true;
    } catch (e) {
      return cosmosStatus(e) === 404;
    }
  }

  private async read<T>(tenantId: string, id: string, parse: (doc: ItemDefinition) => T): Promise<T | undefined> {
    const { resource, statusCode } = await this.hooks.item(id, [tenantId, id]).read<ItemDefinition>();
    if (statusCode === 404 || !resource) return undefined;
    return parse(resource);
  }

  private checkTenant(binding: HookBindingRecord, index: HookIndexRecord | null): void {
    requireTenantId(binding.tenantId);
    if (index && (index.tenantId !== binding.tenantId || index.botId !== binding.botId || index.id !== binding.hookId)) {
      throw new Error('hook index and binding disagree');
    }
    if (tenantOfHookId(binding.hookId) !== binding.tenantId) throw new Error('hook id belongs to another tenant');
  }
}
