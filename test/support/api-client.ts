/**
 * HTTP client for API integration tests: signs in as a SWA principal or uses a Bearer token, and keeps
 * every response body so tests can prove no secret ever left the server. Also reaches the host's
 * Cosmos emulator directly, for tests that must plant documents (e.g. a running bot).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import type { LocalHost } from './local-host';

export interface Principal {
  identityProvider: string;
  userId: string;
  userDetails: string;
  userRoles: string[];
}

export const principalFor = (userId: string, identityProvider = 'aad'): Principal => ({
  identityProvider,
  userId,
  userDetails: `${userId}@example.com`,
  userRoles: ['anonymous', 'authenticated'],
});

export const encodePrincipal = (p: unknown): string => Buffer.from(JSON.stringify(p)).toString('base64');

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

/** Every response text seen by any client in this process. */
export const seenResponses: string[] = [];

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is (string or bytes), bypassing JSON encoding. */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
  /** Defaults to true for bodies; set false to omit the JSON content type. */
  json?: boolean;
}

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly auth: { principal?: Principal; token?: string; tokenVia?: 'authorization' | 'x-tt-token'; rawPrincipalHeader?: string } = {},
  ) {}

  /** A client acting with an API token, sent as `Authorization: Bearer` or as `X-TT-Token` (what passes SWA). */
  withToken(token: string, via: 'authorization' | 'x-tt-token' = 'authorization'): ApiClient {
    return new ApiClient(this.baseUrl, { token, tokenVia: via });
  }

  async request<T = Record<string, unknown>>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.auth.principal) headers['x-ms-client-principal'] = encodePrincipal(this.auth.principal);
    if (this.auth.rawPrincipalHeader !== undefined) headers['x-ms-client-principal'] = this.auth.rawPrincipalHeader;
    if (this.auth.token) {
      if (this.auth.tokenVia === 'x-tt-token') headers['x-tt-token'] = this.auth.token;
      else headers.authorization = `Bearer ${this.auth.token}`;
    }
    const hasBody = options.body !== undefined || options.rawBody !== undefined;
    const unsafe = ['POST', 'PUT', 'PATCH'].includes(method);
    if ((hasBody || unsafe) && options.json !== false && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    seenResponses.push(`${[...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${text}`);
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed as T };
  }

  get = <T = Record<string, unknown>>(path: string, o?: RequestOptions) => this.request<T>('GET', path, o);
  post = <T = Record<string, unknown>>(path: string, o?: RequestOptions) => this.request<T>('POST', path, o);
  patch = <T = Record<string, unknown>>(path: string, o?: RequestOptions) => this.request<T>('PATCH', path, o);
  delete = <T = Record<string, unknown>>(path: string, o?: RequestOptions) => this.request<T>('DELETE', path, o);
}

export interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] | Record<string, unknown> };
}

/** A CosmosClient for the emulator the host started (its endpoint from TT_HOST_READY, its CA from the data dir). */
export function hostCosmosClient(host: LocalHost): CosmosClient {
  const ready = host.logs.find((l) => l.startsWith('TT_HOST_READY '));
  if (!ready) throw new Error('host has not reported ready');
  const { cosmosEndpoint } = JSON.parse(ready.slice('TT_HOST_READY '.length)) as { cosmosEndpoint: string };
  const caFile = findFile(host.dataDir, 'ca.crt');
  if (!caFile) throw new Error(`no emulator CA under ${host.dataDir}`);
  return new CosmosClient({
    endpoint: cosmosEndpoint,
    key: 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==',
    agent: new Agent({ ca: readFileSync(caFile, 'utf8') }),
    connectionPolicy: { enableEndpointDiscovery: false },
  });
}

function findFile(dir: string, name: string): string | undefined {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (entry === name) return full;
    if (statSync(full).isDirectory()) {
      const found = findFile(full, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** Fails with the offending place when any of `secrets` occurs in the host logs or in any response seen. */
export function expectNoSecretLeak(host: LocalHost, secrets: readonly string[]): void {
  const places: string[] = [];
  for (const secret of secrets) {
    host.logs.forEach((line, i) => {
      if (line.includes(secret)) places.push(`log line ${i}: ${line.slice(0, 200)}`);
    });
    seenResponses.forEach((text, i) => {
      if (text.includes(secret)) places.push(`response ${i}: ${text.slice(0, 200)}`);
    });
  }
  if (places.length > 0) throw new Error(`secret leaked:\n${places.join('\n')}`);
}
