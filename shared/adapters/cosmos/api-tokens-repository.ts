/** API token records of one tenant. Tokens are found by point read inside the tenant's partition. */
import type { Container } from '@azure/cosmos';
import { ok, type Result } from '../../core/result.js';
import { apiTokenRecordSchema, type ApiTokenRecord } from '../../domain/api-token.js';
import { cosmosStatus } from './cosmos-errors.js';
import { notFound, queryTenantPage, readTenantItem, requireTenantId, stored, type PageRequest, type Stored, type StoredPage } from './tenant-scoped.js';

export class ApiTokensRepository {
  constructor(private readonly tokens: Container) {}

  async create(tenantId: string, record: ApiTokenRecord): Promise<Stored<ApiTokenRecord>> {
    requireTenantId(tenantId);
    if (record.tenantId !== tenantId) throw new Error('token record belongs to another tenant');
    const { resource } = await this.tokens.items.create(record);
    return stored(apiTokenRecordSchema, resource);
  }

  async find(tenantId: string, id: string): Promise<ApiTokenRecord | undefined> {
    return (await readTenantItem(this.tokens, tenantId, id, apiTokenRecordSchema))?.record;
  }

  list(tenantId: string, page: PageRequest): Promise<Result<StoredPage<ApiTokenRecord>>> {
    return queryTenantPage(
      this.tokens,
      tenantId,
      { query: 'SELECT * FROM c WHERE c.tenantId = @tenantId ORDER BY c.createdAtMs DESC', parameters: [{ name: '@tenantId', value: tenantId }] },
      page,
      apiTokenRecordSchema,
    );
  }

  async countActive(tenantId: string, nowMs: number): Promise<number> {
    requireTenantId(tenantId);
    const { resources } = await this.tokens.items
      .query<number>(
        { query: 'SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @tenantId AND c.expiresAtMs > @nowMs', parameters: [{ name: '@tenantId', value: tenantId }, { name: '@nowMs', value: nowMs }] },
        { partitionKey: [tenantId] },
      )
      .fetchAll();
    return resources[0] ?? 0;
  }

  /** Revoking deletes the record: a revoked token then fails exactly like an unknown one. */
  async delete(tenantId: string, id: string): Promise<Result<void>> {
    requireTenantId(tenantId);
    try {
      await this.tokens.item(id, [tenantId, id]).delete();
      return ok(undefined);
    } catch (e) {
      if (cosmosStatus(e) === 404) return notFound('token');
      throw e;
    }
  }
}
