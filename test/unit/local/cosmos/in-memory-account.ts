/** Test helper: the patched cosmosdb-server account model in-process, without HTTP. */
import Account from '@vercel/cosmosdb-server/lib/account';
import type { AccountInternals, StoredResource } from '../../../../local/cosmos/cosmosdb-server-internals';

export interface QueryPage {
  readonly result: Array<Record<string, unknown>>;
  readonly continuation: { readonly token: string } | null;
}

export interface QueryOptions {
  readonly maxItemCount?: number;
  readonly continuation?: { readonly token: string } | null;
  readonly partitionKey?: readonly unknown[];
  readonly parameters?: ReadonlyArray<{ readonly name: string; readonly value: unknown }>;
}

/** The document API of one container, typed for tests. */
export interface TestContainer {
  create(data: Record<string, unknown>): StoredResource;
  upsert(data: Record<string, unknown>): StoredResource;
  replace(data: Record<string, unknown>, original: StoredResource): StoredResource;
  delete(id: string, partition: unknown): void;
  read(id: string, partition: unknown): StoredResource | undefined;
  query(sql: string, options?: QueryOptions): QueryPage;
  /** Every page of a query, following continuation tokens. */
  queryAll(sql: string, options?: QueryOptions): Array<Record<string, unknown>>;
}

interface RawDocuments {
  create(data: Record<string, unknown>): StoredResource;
  upsert(data: Record<string, unknown>): StoredResource;
  replace(data: Record<string, unknown>, original: StoredResource): StoredResource;
  delete(id: string, partition: unknown): void;
  query(params: { query: string; parameters?: QueryOptions['parameters'] }, options: Omit<QueryOptions, 'parameters'>): QueryPage;
}

interface RawAccount {
  databases: { create(data: Record<string, unknown>): StoredResource };
  database(id: string): {
    collections: { create(data: Record<string, unknown>): StoredResource; replace(data: Record<string, unknown>, original: StoredResource): StoredResource };
    collection(id: string): { read(): StoredResource | undefined; documents: RawDocuments; document(id: string, partition: unknown): { read(): StoredResource | undefined } };
  };
}

type RawCollection = ReturnType<ReturnType<RawAccount['database']>['collection']>;

export function newAccount(): AccountInternals {
  return new Account('127.0.0.1', 8081) as unknown as AccountInternals;
}

export function raw(account: AccountInternals): RawAccount {
  return account as unknown as RawAccount;
}

export function createContainer(
  account: AccountInternals,
  dbId: string,
  collId: string,
  definition: Record<string, unknown> = { partitionKey: { paths: ['/tenantId'] } },
): TestContainer {
  const a = raw(account);
  if (!account.database(dbId).read()) a.databases.create({ id: dbId });
  a.database(dbId).collections.create({ id: collId, ...definition });
  return container(account, dbId, collId);
}

export function container(account: AccountInternals, dbId: string, collId: string): TestContainer {
  const coll = (): RawCollection => raw(account).database(dbId).collection(collId);
  const docs = (): RawDocuments => coll().documents;
  const query = (sql: string, options: QueryOptions = {}): QueryPage => {
    const { parameters, ...paging } = options;
    return docs().query({ query: sql, parameters }, paging);
  };
  return {
    create: (data) => docs().create(data),
    upsert: (data) => docs().upsert(data),
    replace: (data, original) => docs().replace(data, original),
    delete: (id, partition) => docs().delete(id, partition),
    read: (id, partition) => coll().document(id, partition).read() ?? undefined,
    query,
    queryAll: (sql, options = {}) => {
      const rows: Array<Record<string, unknown>> = [];
      let continuation: QueryPage['continuation'] = null;
      do {
        const page = query(sql, { ...options, continuation });
        rows.push(...page.result);
        continuation = page.continuation;
      } while (continuation);
      return rows;
    },
  };
}
