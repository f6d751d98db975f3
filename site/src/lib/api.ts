/**
 * Typed fetch helpers for /api. Every API error has the shape { error: { code, message, details? } };
 * `ApiFailure` carries it so pages can show the code and message and put field details next to fields.
 */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export interface ApiErrorInfo {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly info: ApiErrorInfo,
  ) {
    super(`${info.code}: ${info.message}`);
  }

  get code(): string {
    return this.info.code;
  }

  /** Field issues of a 400, keyed by path (`params.fast`), when the API sent them. */
  get fieldIssues(): FieldIssue[] {
    const d = this.info.details;
    return Array.isArray(d) ? d.filter((x): x is FieldIssue => typeof x === 'object' && x !== null && typeof (x as FieldIssue).path === 'string') : [];
  }
}

/** Network failures and non-JSON answers become ApiFailure too, so every page has one error path. */
export function asFailure(e: unknown): ApiFailure {
  if (e instanceof ApiFailure) return e;
  return new ApiFailure(0, { code: 'NETWORK', message: e instanceof Error ? e.message : String(e) });
}

export interface ApiAnswer<T> {
  readonly data: T;
  readonly etag: string | null;
  readonly status: number;
}

interface RequestOptions {
  readonly json?: unknown;
  readonly body?: BodyInit;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body = options.body;
  // Signed-in POST/PATCH must declare JSON even without a body (the API's CSRF rule).
  if (options.json !== undefined || (method !== 'GET' && method !== 'DELETE' && body === undefined)) headers['content-type'] = 'application/json';
  if (options.json !== undefined) body = JSON.stringify(options.json);
  if (options.contentType) headers['content-type'] = options.contentType;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw asFailure(e);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const info = (parsed as { error?: ApiErrorInfo } | undefined)?.error;
    throw new ApiFailure(res.status, info && typeof info.code === 'string' ? info : { code: `HTTP.${res.status}`, message: res.statusText || 'The request failed.' });
  }
  return { data: parsed as T, etag: res.headers.get('etag'), status: res.status };
}

export const api = {
  get: async <T>(path: string, signal?: AbortSignal): Promise<T> => (await request<T>('GET', path, { signal })).data,
  post: async <T>(path: string, json?: unknown): Promise<T> => (await request<T>('POST', path, json === undefined ? {} : { json })).data,
  patch: async <T>(path: string, json: unknown, etag: string): Promise<T> => (await request<T>('PATCH', path, { json, headers: { 'if-match': etag } })).data,
  del: async (path: string): Promise<void> => {
    await request<unknown>('DELETE', path);
  },
  upload: async <T>(path: string, file: Blob, contentType: string): Promise<T> => (await request<T>('POST', path, { body: file, contentType })).data,
};

export interface Page<T> {
  readonly items: readonly T[];
  readonly continuationToken: string | null;
}

/** True when the route is not deployed at all (as opposed to a missing resource, which says NOT_FOUND). */
export const isMissingApi = (e: unknown): boolean => e instanceof ApiFailure && e.status === 404 && e.code !== 'NOT_FOUND';

export interface ClientPrincipal {
  readonly identityProvider: string;
  readonly userId: string;
  readonly userDetails: string;
  readonly userRoles: readonly string[];
}

export async function currentPrincipal(): Promise<ClientPrincipal | null> {
  const res = await fetch('/.auth/me', { credentials: 'same-origin' });
  if (!res.ok) return null;
  const body = (await res.json()) as { clientPrincipal: ClientPrincipal | null };
  return body.clientPrincipal;
}
