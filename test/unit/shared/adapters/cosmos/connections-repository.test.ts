import { ConnectionsRepository } from '../../../../../shared/adapters/cosmos/connections-repository';
import { ensureCosmosSchema, type CosmosSchema } from '../../../../../shared/adapters/cosmos/ensure-cosmos-schema';
import { newConnectionRecord, type ConnectionRecord } from '../../../../../shared/domain/connection';
import { startCosmosKit, type CosmosKit } from './cosmos-test-kit';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
let seq = 0;

function paper(tenantId: string, label = 'sim'): ConnectionRecord {
  seq += 1;
  const id = seq.toString(16).padStart(32, '0');
  const r = newConnectionRecord(tenantId, id, { exchangeId: 'paper', label, mode: 'paper' }, null, 1_000 + seq);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('ConnectionsRepository', () => {
  let kit: CosmosKit;
  let schema: CosmosSchema;
  let repo: ConnectionsRepository;
  beforeAll(async () => {
    kit = await startCosmosKit();
    schema = await ensureCosmosSchema(kit.client, 'repo-connections');
    repo = new ConnectionsRepository(schema.containers.connections, schema.containers.bots);
  });
  afterAll(() => kit.stop());

  it('creates and reads back a record with an ETag, without system fields', async () => {
    const record = paper(A);
    const created = await repo.create(A, record);
    expect(created.etag).not.toBe('');
    const read = await repo.get(A, record.id);
    expect(read).toEqual({ ok: true, value: { record, etag: created.etag } });
  });

  it('answers NOT_FOUND to another tenant for every method', async () => {
    const record = paper(A);
    const created = await repo.create(A, record);
    expect(await repo.get(B, record.id)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await repo.replace(B, { ...record, tenantId: B, label: 'stolen' }, created.etag)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await repo.delete(B, record.id)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const listed = await repo.list(B, { limit: 100 });
    expect(listed.ok && listed.value.items.map((i) => i.record.id)).not.toContain(record.id);
    expect((await repo.get(A, record.id)).ok).toBe(true);
  });

  it('refuses records and tenant ids that do not belong together', async () => {
    await expect(repo.create(B, paper(A))).rejects.toThrow(/another tenant/);
    await expect(repo.get('', 'x')).rejects.toThrow(/tenantId/);
  });

  it('replaces with the current ETag and answers CONFLICT with a stale one', async () => {
    const record = paper(A);
    const created = await repo.create(A, record);
    const first = await repo.replace(A, { ...record, label: 'one' }, created.etag);
    expect(first.ok).toBe(true);
    const stale = await repo.replace(A, { ...record, label: 'two' }, created.etag);
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reason: 'etag-mismatch' } } });
    const read = await repo.get(A, record.id);
    expect(read.ok && read.value.record.label).toBe('one');
  });

  it('pages a tenant with continuation tokens, newest first, without repeats', async () => {
    const tenant = 'c'.repeat(32);
    const records = Array.from({ length: 7 }, () => paper(tenant));
    for (const r of records) await repo.create(tenant, r);
    const seen: string[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
      const page = await repo.list(tenant, { limit: 3, continuation });
      if (!page.ok) throw new Error(page.error.message);
      seen.push(...page.value.items.map((i) => i.record.id));
      continuation = page.value.continuationToken ?? undefined;
      pages += 1;
    } while (continuation);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual(records.map((r) => r.id).reverse());
  });

  it('answers VALIDATION.FAILED for a continuation token it did not issue for this list', async () => {
    for (const continuation of [Buffer.from('{"garbage":true').toString('base64url'), 'abc']) {
      expect(await repo.list(A, { limit: 2, continuation })).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
    }
    for (let i = 0; i < 3; i++) await repo.create(B, paper(B));
    const first = await repo.list(B, { limit: 1 });
    const tokenOfB = first.ok ? first.value.continuationToken : null;
    expect(tokenOfB).not.toBeNull();
    expect(await repo.list(A, { limit: 1, continuation: tokenOfB ?? undefined })).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
  });

  it('refuses to delete a connection used by an active bot of the same tenant, and allows it once stopped', async () => {
    const record = paper(A);
    await repo.create(A, record);
    const bot = { id: 'bot-1-' + record.id.slice(-6), tenantId: A, connectionId: record.id, status: 'running' };
    await schema.containers.bots.items.create(bot);
    // Another tenant's bot pointing at the same id does not count.
    await schema.containers.bots.items.create({ id: 'bot-x-' + record.id.slice(-6), tenantId: B, connectionId: record.id, status: 'running' });
    expect(await repo.delete(A, record.id)).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reason: 'connection-in-use', botIds: [bot.id] } } });
    await schema.containers.bots.item(bot.id, [A, bot.id]).replace({ ...bot, status: 'stopped' });
    expect(await repo.delete(A, record.id)).toEqual({ ok: true, value: undefined });
    expect(await repo.get(A, record.id)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
