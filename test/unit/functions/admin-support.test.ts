import { listTenantEntities, summarize } from '../../../functions/admin-support.js';
import type { EntityListItem, EntityPort } from '../../../functions/bots-durable.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

/** The durable list API over a fixed set of bot entities: pages of `top`, ordered by key, a token = the last key. */
function fakePort(keys: string[]): EntityPort & { calls: number } {
  const sorted = [...keys].sort();
  const port = {
    calls: 0,
    read: () => Promise.reject(new Error('not used')),
    signal: () => Promise.reject(new Error('not used')),
    list(name: string, page: { top: number; continuation: string | null }) {
      port.calls++;
      const from = page.continuation === null ? 0 : sorted.indexOf(page.continuation) + 1;
      const slice = sorted.slice(from, from + page.top);
      const items: EntityListItem[] = slice.map((key) => ({ name, key, lastOperationTime: '2026-01-01T00:00:00.000Z', state: null }));
      return Promise.resolve({ items, continuation: from + page.top < sorted.length ? slice[slice.length - 1]! : null });
    },
  };
  return port;
}

async function everyPage(port: EntityPort, tenant: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let continuation: string | undefined;
  do {
    const page = await listTenantEntities(port, tenant, 'bot', { limit, continuation });
    if (!page.ok) throw new Error(page.error.message);
    pages.push(page.value.items.map((i) => i.id));
    continuation = page.value.continuationToken ?? undefined;
  } while (continuation !== undefined);
  return pages;
}

describe('listTenantEntities', () => {
  const aliceKeys = Array.from({ length: 7 }, (_, i) => `${A}:bot${i}`);
  const bobKeys = Array.from({ length: 1200 }, (_, i) => `${B}:bot${String(i).padStart(4, '0')}`);

  it("returns only the tenant's entities, with the tenant part of the key removed", async () => {
    const pages = await everyPage(fakePort([...aliceKeys, ...bobKeys]), A, 100);
    expect(pages).toEqual([aliceKeys.map((k) => k.slice(33))]);
  });

  it('continues in the middle of a backend page without repeating or skipping', async () => {
    const pages = await everyPage(fakePort([...aliceKeys, ...bobKeys]), A, 3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(aliceKeys.map((k) => k.slice(33)));
  });

  it("scans across backend pages of other tenants' entities", async () => {
    const pages = await everyPage(fakePort([...bobKeys, ...aliceKeys.map((k) => k.replace(A, 'c'.repeat(32)))]), 'c'.repeat(32), 50);
    expect(pages.flat()).toHaveLength(7);
  });

  it('stops after a bounded number of backend calls and hands back a token to go on', async () => {
    const many = Array.from({ length: 12_000 }, (_, i) => `${B}:x${String(i).padStart(5, '0')}`);
    const port = fakePort([...many, `${'f'.repeat(32)}:last`]);
    const first = await listTenantEntities(port, 'f'.repeat(32), 'bot', { limit: 10 });
    expect(first.ok && first.value.items).toEqual([]);
    expect(port.calls).toBe(20);
    const token = first.ok ? first.value.continuationToken : null;
    expect(token).not.toBeNull();
    const next = await listTenantEntities(port, 'f'.repeat(32), 'bot', { limit: 10, continuation: token! });
    expect(next.ok && next.value.items.map((i) => i.id)).toEqual(['last']);
  });

  it("refuses a token of another tenant's or another entity's list", async () => {
    const port = fakePort(aliceKeys);
    const page = await listTenantEntities(port, A, 'bot', { limit: 2 });
    const token = page.ok ? page.value.continuationToken! : '';
    expect((await listTenantEntities(port, B, 'bot', { limit: 2, continuation: token })).ok).toBe(false);
    expect((await listTenantEntities(port, A, 'account', { limit: 2, continuation: token })).ok).toBe(false);
    expect((await listTenantEntities(port, A, 'bot', { limit: 2, continuation: 'bm90LWpzb24' })).ok).toBe(false);
  });
});

describe('summarize', () => {
  it('marks a state it cannot read instead of failing the listing', () => {
    expect(summarize('bot', { something: 'else' })).toEqual({ unreadable: true });
    expect(summarize('account', null)).toEqual({ unreadable: true });
  });

  it('counts books and attached books of an account', () => {
    const state = { currency: 'USD', startingBalance: 5000, books: { x: { attached: true }, y: { attached: false } }, markets: { 'paper:GOOG:1d': {} } };
    expect(summarize('account', state)).toEqual({ currency: 'USD', startingBalance: 5000, books: 2, attachedBooks: 1, markets: ['paper:GOOG:1d'] });
  });
});
