/**
 * Behaviour of @vercel/cosmosdb-server + @zeit/cosmosdb-query as patched by patches/*.patch:
 * the faster query paths must answer exactly like the original algorithms.
 */
import { patchOperation } from '@vercel/cosmosdb-server/lib/handler/_patch-operations';
import type { ResourceChange } from '../../../../local/cosmos/cosmosdb-server-internals';
import { container, createContainer, newAccount, raw } from './in-memory-account';

const ids = (rows: Array<Record<string, unknown>>): unknown[] => rows.map((r) => r.id);

describe('patched cosmosdb-server query engine', () => {
  it('pages through a result with continuation tokens, returning each document once in unpaged order', () => {
    const account = newAccount();
    const c = createContainer(account, 'db', 'orders');
    for (let i = 0; i < 2500; i += 1) c.create({ id: `o${i}`, tenantId: `t${i % 7}`, price: (i * 7919) % 1009 });

    for (const sql of ['SELECT * FROM c', 'SELECT * FROM c ORDER BY c.price DESC', 'SELECT c.id FROM c WHERE c.price > 500']) {
      const unpaged = c.query(sql).result;
      const paged = c.queryAll(sql, { maxItemCount: 100 });
      expect(ids(paged)).toEqual(ids(unpaged));
      expect(new Set(ids(paged)).size).toBe(paged.length);
    }
  });

  it('still returns the right remaining documents when the container changes between pages', () => {
    const account = newAccount();
    const c = createContainer(account, 'db', 'orders');
    for (let i = 0; i < 300; i += 1) c.create({ id: `o${i}`, tenantId: 't', n: i });
    const first = c.query('SELECT * FROM c ORDER BY c.n', { maxItemCount: 100 });
    c.delete('o250', 't');
    c.create({ id: 'late', tenantId: 't', n: 1000 });
    const rest: Array<Record<string, unknown>> = [];
    let continuation = first.continuation;
    while (continuation) {
      const page = c.query('SELECT * FROM c ORDER BY c.n', { maxItemCount: 100, continuation });
      rest.push(...page.result);
      continuation = page.continuation;
    }
    const all = [...ids(first.result), ...ids(rest)];
    const expected = [...Array.from({ length: 300 }, (_, i) => `o${i}`).filter((id) => id !== 'o250'), 'late'];
    expect(all).toEqual(expected);
  });

  it('answers TOP n ... ORDER BY like a full sort cut to n (ties by _rid, rows without the key dropped)', () => {
    const account = newAccount();
    const c = createContainer(account, 'db', 'scores');
    for (let i = 0; i < 400; i += 1) c.create(i % 9 === 0 ? { id: `s${i}`, tenantId: 't' } : { id: `s${i}`, tenantId: 't', score: i % 13 });
    for (const n of [1, 7, 25]) {
      const full = c.query('SELECT * FROM c ORDER BY c.score DESC').result.slice(0, n);
      const top = c.query(`SELECT TOP ${n} * FROM c ORDER BY c.score DESC`).result;
      expect(ids(top)).toEqual(ids(full));
      const topParam = c.query('SELECT TOP @n * FROM c ORDER BY c.score', { parameters: [{ name: '@n', value: n }] }).result;
      expect(ids(topParam)).toEqual(ids(c.query('SELECT * FROM c ORDER BY c.score').result.slice(0, n)));
    }
    expect(c.query('SELECT * FROM c ORDER BY c.score').result.every((r) => r.score !== undefined)).toBe(true);
  });

  it('expands JOINs and filters their rows', () => {
    const account = newAccount();
    const c = createContainer(account, 'db', 'bots');
    c.create({ id: 'a', tenantId: 't', tags: ['x', 'y'] });
    c.create({ id: 'b', tenantId: 't', tags: ['y'] });
    c.create({ id: 'c', tenantId: 't' });
    expect(c.query("SELECT c.id, t AS tag FROM c JOIN t IN c.tags WHERE t = 'y'").result).toEqual([
      { id: 'a', tag: 'y' },
      { id: 'b', tag: 'y' },
    ]);
    expect(c.query('SELECT VALUE t FROM c JOIN t IN c.tags').result).toEqual(['x', 'y', 'y']);
  });

  it('strips undefined projections from results', () => {
    const account = newAccount();
    const c = createContainer(account, 'db', 'bots');
    c.create({ id: 'a', tenantId: 't', list: [1, 2] });
    expect(c.query('SELECT c.id, c.missing, [c.missing, c.list[0]] AS pair FROM c').result).toEqual([{ id: 'a', pair: [1] }]);
  });

  it('scopes queries to a hierarchical partition key or a prefix of it', () => {
    const account = newAccount();
    const c = createContainer(account, 'db', 'bots', { partitionKey: { paths: ['/tenantId', '/botId'], kind: 'MultiHash', version: 2 } });
    c.create({ id: 'x', tenantId: 't1', botId: 'b1' });
    c.create({ id: 'x', tenantId: 't1', botId: 'b2' });
    c.create({ id: 'x', tenantId: 't2', botId: 'b1' });
    const scoped = (pk: unknown[]): unknown[] => c.query('SELECT * FROM c', { partitionKey: pk }).result.map((r) => `${String(r.tenantId)}/${String(r.botId)}`);
    expect(scoped(['t1'])).toEqual(['t1/b1', 't1/b2']);
    expect(scoped(['t1', 'b2'])).toEqual(['t1/b2']);
    expect(c.query('SELECT * FROM c').result).toHaveLength(3);
    expect(c.read('x', JSON.stringify(['t2', 'b1']))?.tenantId).toBe('t2');
    expect(c.read('x', JSON.stringify(['t2', 'b9']))).toBeUndefined();
  });

  it('evaluates a conditional patch against the target document, keeping the condition case', () => {
    const account = newAccount();
    const c = createContainer(account, 'db', 'bots');
    c.create({ id: 'a', tenantId: 't', status: 'Running', n: 1 });
    c.create({ id: 'b', tenantId: 't', status: 'Running', n: 1 });
    const coll = raw(account).database('db').collection('bots');
    const patch = (id: string, condition: string): number =>
      (patchOperation(coll as never, { id, partitionKey: '["t"]', operations: [{ op: 'incr', path: '/n', value: 1 }], condition }) as { statusCode: number }).statusCode;
    expect(patch('a', "FROM c WHERE c.status = 'Running'")).toBe(200);
    expect(patch('a', "FROM c WHERE c.status = 'running'")).toBe(412);
    expect(c.read('a', 't')?.n).toBe(2);
    expect(c.read('b', 't')?.n).toBe(1);
  });

  it('keeps the documents of a container whose definition is replaced', () => {
    const account = newAccount();
    const c = createContainer(account, 'db', 'bots');
    c.create({ id: 'a', tenantId: 't' });
    const collections = raw(account).database('db').collections;
    const definition = raw(account).database('db').collection('bots').read()!;
    collections.replace({ ...definition, indexingPolicy: { indexingMode: 'consistent', compositeIndexes: [[{ path: '/a' }, { path: '/b' }]] } }, definition);
    expect(ids(container(account, 'db', 'bots').query('SELECT * FROM c').result)).toEqual(['a']);
  });

  it('reports every change with its kind, path and resource-id counter', () => {
    const account = newAccount();
    const changes: ResourceChange[] = [];
    account.onChange = (change) => changes.push(change);
    const c = createContainer(account, 'db', 'bots');
    const created = c.create({ id: 'a', tenantId: 't' });
    c.replace({ id: 'a', tenantId: 't', v: 2 }, created);
    c.upsert({ id: 'b', tenantId: 't' });
    c.delete('a', 't');
    expect(changes.map((ch) => [ch.type, ch.kind, ch.path.join('/'), ch.data.id, ch.ridCount])).toEqual([
      ['put', 'dbs', '', 'db', 1],
      ['put', 'colls', 'db', 'bots', 1],
      ['put', 'docs', 'db/bots', 'a', 1],
      ['put', 'docs', 'db/bots', 'a', 1],
      ['put', 'docs', 'db/bots', 'b', 2],
      ['delete', 'docs', 'db/bots', 'a', 2],
    ]);
    expect(changes[3]?.data._etag).not.toBe(changes[2]?.data._etag);
  });
});
