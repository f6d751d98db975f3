import { listEntityPage } from '../../../../local/durable/entity-query.js';
import type { EntityInstance } from '../../../../local/durable/entity-table.js';

function instance(name: string, key: string, state: unknown, lastOperationMs = 1000, exists = true): EntityInstance {
  return { name, key, exists, state: JSON.stringify(state), lastOperationMs, queue: [], busy: false };
}

describe('listEntityPage', () => {
  const all = [
    instance('counter', 'b', 2, 2000),
    instance('audit', 'x', { entries: [] }, 3000),
    instance('counter', 'a', 1, 1000),
    instance('counter', 'c', 3, 3000),
    instance('counter', 'ghost', 0, 1000, false),
  ];

  it('pages through every existing entity once, ordered by name then key', () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = listEntityPage(all, { pageSize: 2, continuationToken: token });
      if (!page.ok) throw new Error(page.error.message);
      seen.push(...page.value.entities.map((e) => `${e.entityId.name}/${e.entityId.key}`));
      token = page.value.continuationToken;
      pages++;
    } while (token);

    expect(seen).toEqual(['audit/x', 'counter/a', 'counter/b', 'counter/c']);
    expect(pages).toBe(2);
  });

  it('includes parsed state only when asked to', () => {
    const withState = listEntityPage(all, { fetchState: true, pageSize: 1 });
    const without = listEntityPage(all, { pageSize: 1 });
    expect(withState).toMatchObject({ ok: true, value: { entities: [{ entityId: { name: 'audit', key: 'x' }, state: { entries: [] } }] } });
    expect(without.ok && without.value.entities[0]).toEqual({ entityId: { name: 'audit', key: 'x' }, lastOperationTime: new Date(3000).toISOString() });
  });

  it('filters on the last operation time range', () => {
    const page = listEntityPage(all, { lastOperationFromMs: 1500, lastOperationToMs: 2500 });
    expect(page.ok && page.value.entities.map((e) => e.entityId.key)).toEqual(['b']);
  });

  it('rejects a token it did not issue and an out-of-range page size', () => {
    expect(listEntityPage(all, { continuationToken: 'bogus' })).toMatchObject({ ok: false, error: { code: 'DURABLE.INVALID_CONTINUATION_TOKEN' } });
    expect(listEntityPage(all, { pageSize: 0 })).toMatchObject({ ok: false, error: { code: 'DURABLE.INVALID_PAGE_SIZE' } });
  });
});
