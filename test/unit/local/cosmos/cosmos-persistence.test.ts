import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountInternals } from '../../../../local/cosmos/cosmosdb-server-internals';
import { CosmosPersistence } from '../../../../local/cosmos/cosmos-persistence';
import { encodeRecord } from '../../../../local/cosmos/persisted-record';
import { container, createContainer, newAccount, raw } from './in-memory-account';

const walFiles = (dir: string): string[] => readdirSync(join(dir, 'wal')).sort();

describe('CosmosPersistence', () => {
  let dir: string;
  let open: CosmosPersistence[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tt-cosmos-persist-'));
    open = [];
  });
  afterEach(async () => {
    for (const p of open) await p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (options: { compactMinWalBytes?: number } = {}): { account: AccountInternals; persistence: CosmosPersistence } => {
    const account = newAccount();
    const persistence = CosmosPersistence.open(account, { dir, ...options });
    open.push(persistence);
    return { account, persistence };
  };
  const restart = async (persistence: CosmosPersistence, options: { compactMinWalBytes?: number } = {}) => {
    await persistence.close();
    return start(options);
  };

  it('restores databases, containers and documents with their system properties after a restart', async () => {
    const first = start();
    const c = createContainer(first.account, 'db', 'bots', { partitionKey: { paths: ['/tenantId', '/botId'], kind: 'MultiHash', version: 2 }, uniqueKeyPolicy: { uniqueKeys: [{ paths: ['/name'] }] } });
    const a = c.create({ id: 'a', tenantId: 't1', botId: 'b1', name: 'alpha' });
    const b = c.create({ id: 'b', tenantId: 't1', botId: 'b2', name: 'beta' });
    const a2 = c.replace({ id: 'a', tenantId: 't1', botId: 'b1', name: 'alpha', v: 2 }, a);
    c.create({ id: 'gone', tenantId: 't2', botId: 'b1', name: 'gone' });
    c.delete('gone', JSON.stringify(['t2', 'b1']));
    await first.persistence.whenDurable();

    const second = await restart(first.persistence);
    const restored = container(second.account, 'db', 'bots');
    expect(restored.read('a', JSON.stringify(['t1', 'b1']))).toEqual(a2);
    expect(restored.read('b', JSON.stringify(['t1', 'b2']))).toEqual(b);
    expect(restored.read('gone', JSON.stringify(['t2', 'b1']))).toBeUndefined();
    expect(raw(second.account).database('db').collection('bots').read()?.uniqueKeyPolicy).toEqual({ uniqueKeys: [{ paths: ['/name'] }] });
    // unique keys and resource ids keep working on restored state
    expect(() => restored.create({ id: 'c', tenantId: 't1', botId: 'b1', name: 'alpha' })).toThrow(/already exists/);
    const c3 = restored.create({ id: 'c', tenantId: 't1', botId: 'b1', name: 'gamma' });
    expect([a2._rid, b._rid]).not.toContain(c3._rid);
    expect(second.persistence.restoreStats).toMatchObject({ snapshotRecords: 0, walRecords: 7, tornTailBytes: 0 });
  });

  it('cuts off a torn last write, which was never acknowledged', async () => {
    const first = start();
    const c = createContainer(first.account, 'db', 'bots');
    c.create({ id: 'kept', tenantId: 't' });
    await first.persistence.whenDurable();
    await first.persistence.close();
    const [segment] = walFiles(dir);
    const segmentPath = join(dir, 'wal', segment!);
    const acknowledgedBytes = statSync(segmentPath).size;
    const torn = encodeRecord({ o: 'put', k: 'docs', p: ['db', 'bots'], n: 2, d: { id: 'torn', tenantId: 't', _rid: 'x' } });
    appendFileSync(segmentPath, torn.slice(0, 30));

    const second = start();
    expect(second.persistence.restoreStats.tornTailBytes).toBe(30);
    expect(container(second.account, 'db', 'bots').query('SELECT VALUE c.id FROM c').result).toEqual(['kept']);
    expect(statSync(segmentPath).size).toBe(acknowledgedBytes);
  });

  it('refuses to start on a corrupt segment that is not the newest', async () => {
    const first = start();
    createContainer(first.account, 'db', 'bots').create({ id: 'a', tenantId: 't' });
    await first.persistence.whenDurable();
    await first.persistence.close();
    const [segment] = walFiles(dir);
    appendFileSync(join(dir, 'wal', segment!), 'garbage\n');
    writeFileSync(join(dir, 'wal', '9999999999.wal'), encodeRecord({ o: 'del', k: 'docs', p: ['db', 'bots'], r: 'nothing' }));
    expect(() => CosmosPersistence.open(newAccount(), { dir })).toThrow(/corrupt Cosmos WAL segment/);
  });

  it('compacts into a snapshot, drops covered segments and restores snapshot plus later changes', async () => {
    const first = start({ compactMinWalBytes: 1 << 30 });
    const c = createContainer(first.account, 'db', 'bots');
    for (let i = 0; i < 50; i += 1) c.create({ id: `d${i}`, tenantId: 't', i });
    await first.persistence.compact();
    c.upsert({ id: 'd0', tenantId: 't', i: 100 });
    c.delete('d1', 't');
    c.create({ id: 'late', tenantId: 't' });
    await first.persistence.whenDurable();
    expect(existsSync(join(dir, 'snapshot.jsonl'))).toBe(true);
    expect(walFiles(dir)).toHaveLength(1);

    const second = await restart(first.persistence, { compactMinWalBytes: 1 << 30 });
    expect(second.persistence.restoreStats).toMatchObject({ snapshotRecords: 50 + 2 + 4, walRecords: 3 });
    const rows = container(second.account, 'db', 'bots').query('SELECT c.id, c.i FROM c WHERE c.id IN ("d0", "d1", "late", "d49")').result;
    expect(rows).toEqual(expect.arrayContaining([{ id: 'd0', i: 100 }, { id: 'late' }, { id: 'd49', i: 49 }]));
    expect(rows).toHaveLength(3);
  });

  it('compacts on its own once the WAL outgrows the threshold', async () => {
    const { account, persistence } = start({ compactMinWalBytes: 20_000 });
    const c = createContainer(account, 'db', 'bots');
    for (let i = 0; i < 300; i += 1) {
      c.create({ id: `d${i}`, tenantId: 't', payload: 'x'.repeat(100) });
      if (i % 20 === 0) {
        await persistence.whenDurable();
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await persistence.whenDurable();
    const deadline = Date.now() + 10_000;
    while (!existsSync(join(dir, 'snapshot.jsonl')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(existsSync(join(dir, 'snapshot.jsonl'))).toBe(true);
    const second = await restart(persistence, { compactMinWalBytes: 20_000 });
    expect(second.persistence.restoreStats.snapshotRecords).toBeGreaterThan(0);
    expect(container(second.account, 'db', 'bots').query('SELECT VALUE COUNT(1) FROM c').result).toEqual([300]);
  });

  it('restores the resource-id counter even when every document was deleted', async () => {
    const first = start();
    const c = createContainer(first.account, 'db', 'bots');
    const old = c.create({ id: 'a', tenantId: 't' });
    c.delete('a', 't');
    await first.persistence.compact();
    const second = await restart(first.persistence);
    expect(container(second.account, 'db', 'bots').create({ id: 'b', tenantId: 't' })._rid).not.toBe(old._rid);
  });

  it('keeps a snapshot-restored container usable after the container is deleted and recreated', async () => {
    const first = start();
    createContainer(first.account, 'db', 'bots').create({ id: 'old', tenantId: 't' });
    await first.persistence.compact();
    const database = raw(first.account).database('db') as unknown as { collections: { delete(id: string, p: string): void } };
    database.collections.delete('bots', 'bots');
    createContainer(first.account, 'db', 'bots').create({ id: 'new', tenantId: 't' });
    await first.persistence.whenDurable();
    const second = await restart(first.persistence);
    expect(container(second.account, 'db', 'bots').query('SELECT VALUE c.id FROM c').result).toEqual(['new']);
  });
});
