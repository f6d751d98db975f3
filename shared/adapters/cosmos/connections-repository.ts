/**
 * Connections of one tenant. Every method takes the tenant id; updates carry the ETag they were based
 * on (IfMatch) and a mismatch is a CONFLICT. Deleting is refused while a bot in an active state uses
 * the connection; the bots feature writes its documents to the `bots` container with `connectionId`
 * and `status`, and must itself check the connection still exists when a bot starts.
 */
import type { Container } from '@azure/cosmos';
import { appError, err, ok, type Result } from '../../core/result.js';
import { connectionRecordSchema, type ConnectionRecord } from '../../domain/connection.js';
import { cosmosStatus } from './cosmos-errors.js';
import { notFound, queryTenantPage, readTenantItem, requireTenantId, staleEtag, stored, type PageRequest, type Stored, type StoredPage } from './tenant-scoped.js';

/** Bot states in which the bot may still place or manage orders through its connection. */
export const BOT_STATES_BLOCKING_CONNECTION_DELETE = ['running', 'paused', 'halted', 'stopping', 'faulted'] as const;

export class ConnectionsRepository {
  constructor(
    private readonly connections: Container,
    private readonly bots: Container,
  ) {}

  async create(tenantId: string, record: ConnectionRecord): Promise<Stored<ConnectionRecord>> {
    this.checkOwner(tenantId, record);
    const { resource } = await this.connections.items.create(record);
    return stored(connectionRecordSchema, resource);
  }

  async get(tenantId: string, id: string): Promise<Result<Stored<ConnectionRecord>>> {
    const found = await readTenantItem(this.connections, tenantId, id, connectionRecordSchema);
    return found ? ok(found) : notFound('connection');
  }

  list(tenantId: string, page: PageRequest): Promise<Result<StoredPage<ConnectionRecord>>> {
    return queryTenantPage(
      this.connections,
      tenantId,
      { query: 'SELECT * FROM c WHERE c.tenantId = @tenantId ORDER BY c.createdAtMs DESC', parameters: [{ name: '@tenantId', value: tenantId }] },
      page,
      connectionRecordSchema,
    );
  }

  async replace(tenantId: string, record: ConnectionRecord, ifMatch: string): Promise<Result<Stored<ConnectionRecord>>> {
    this.checkOwner(tenantId, record);
    try {
      const { resource } = await this.connections.item(record.id, [tenantId, record.id]).replace(record, { accessCondition: { type: 'IfMatch', condition: ifMatch } });
      return ok(stored(connectionRecordSchema, resource));
    } catch (e) {
      if (cosmosStatus(e) === 412) return staleEtag('connection');
      if (cosmosStatus(e) === 404) return notFound('connection');
      throw e;
    }
  }

  /** Refused with CONFLICT while an active bot uses it; `ifMatch` optional. */
  async delete(tenantId: string, id: string, ifMatch?: string): Promise<Result<void>> {
    requireTenantId(tenantId);
    const botIds = await this.activeBotsUsing(tenantId, id);
    if (botIds.length > 0) {
      return err(
        appError('CONFLICT', `The connection is used by ${botIds.length} active bot(s); stop them before deleting it.`, { reason: 'connection-in-use', botIds }),
      );
    }
    try {
      await this.connections.item(id, [tenantId, id]).delete(ifMatch ? { accessCondition: { type: 'IfMatch', condition: ifMatch } } : {});
      return ok(undefined);
    } catch (e) {
      if (cosmosStatus(e) === 404) return notFound('connection');
      if (cosmosStatus(e) === 412) return staleEtag('connection');
      throw e;
    }
  }

  async activeBotsUsing(tenantId: string, connectionId: string): Promise<string[]> {
    requireTenantId(tenantId);
    const { resources } = await this.bots.items
      .query<{ id: string }>(
        {
          query: 'SELECT c.id FROM c WHERE c.tenantId = @tenantId AND c.connectionId = @connectionId AND ARRAY_CONTAINS(@states, c.status)',
          parameters: [
            { name: '@tenantId', value: tenantId },
            { name: '@connectionId', value: connectionId },
            { name: '@states', value: [...BOT_STATES_BLOCKING_CONNECTION_DELETE] },
          ],
        },
        { partitionKey: [tenantId] },
      )
      .fetchAll();
    return resources.map((r) => r.id);
  }

  private checkOwner(tenantId: string, record: ConnectionRecord): void {
    requireTenantId(tenantId);
    if (record.tenantId !== tenantId) throw new Error('connection record belongs to another tenant');
  }
}
