/**
 * Typed view of the parts of `@vercel/cosmosdb-server` that the durable layer relies on. Most of them
 * are added by `patches/@vercel+cosmosdb-server+*.patch` (applied by patch-package at install):
 * `createHttpsServer({ onAccount })`, `Account#onChange`, `Items#_restore/_restoreDelete/_rowSnapshot`.
 * `assertPatched` fails loudly when the patch is missing, instead of silently running without
 * durability or with the quadratic query engine.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server, ServerOptions } from 'node:https';
import { createHttpsServer } from '@vercel/cosmosdb-server';

/** A stored resource (database, container, document, UDF) with its system properties. */
export interface StoredResource {
  readonly id: string;
  readonly _rid: string;
  readonly [key: string]: unknown;
}

/** Which collection of resources a change belongs to. Partition key ranges are derived, never stored. */
export type ResourceKind = 'dbs' | 'colls' | 'docs' | 'udfs';

/** What the patched server reports after every successful create/replace/upsert/patch/delete. */
export interface ResourceChange {
  readonly type: 'put' | 'delete';
  readonly kind: ResourceKind;
  /** Ids of the owning database (and container) — `[]` for databases. */
  readonly path: readonly string[];
  /** The owning collection's resource-id counter after the change (keeps new `_rid`s unique after restore). */
  readonly ridCount: number;
  readonly data: StoredResource;
}

export interface ResourceSet {
  _ridCount: number;
  _restore(data: StoredResource, ridCount?: number): unknown;
  _restoreDelete(rid: string): void;
  _rowSnapshot(): readonly StoredResource[];
}

interface ResourceItem {
  read(): StoredResource | undefined | null;
}

export interface ContainerInternals extends ResourceItem {
  readonly documents: ResourceSet;
  readonly userDefinedFunctions: ResourceSet;
}

export interface DatabaseInternals extends ResourceItem {
  readonly collections: ResourceSet;
  collection(idOrRid: string): ContainerInternals;
}

export interface AccountInternals {
  readonly databases: ResourceSet;
  database(idOrRid: string): DatabaseInternals;
  onChange?: (change: ResourceChange) => void;
}

export type CosmosRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface CosmosServerOptions extends ServerOptions {
  /** Patched: called synchronously on `listening`, before any request is served. */
  readonly onAccount: (account: AccountInternals) => void;
}

/** Creates the (not yet listening) HTTPS Cosmos server. */
export function createCosmosServer(options: CosmosServerOptions): Server {
  return createHttpsServer(options);
}

/** Throws when the account lacks the hooks the durability patch adds. */
export function assertPatched(account: AccountInternals): void {
  const set = account.databases as Partial<ResourceSet>;
  if (typeof set._restore !== 'function' || typeof set._rowSnapshot !== 'function') {
    throw new Error(
      '@vercel/cosmosdb-server is not patched (patches/@vercel+cosmosdb-server+*.patch): run `npm install` so patch-package applies it',
    );
  }
}
