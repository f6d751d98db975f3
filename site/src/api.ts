/** Typed fetch helpers: every API error has the shape { error: { code, message } }. */
export interface ApiError {
  code: string;
  message: string;
}

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly apiError: ApiError) {
    super(`${apiError.code}: ${apiError.message}`);
  }
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const e = (body as { error?: ApiError } | undefined)?.error;
    throw new ApiFailure(res.status, e ?? { code: `HTTP.${res.status}`, message: res.statusText });
  }
  return body as T;
}

export interface ClientPrincipal {
  identityProvider: string;
  userId: string;
  userDetails: string;
  userRoles: string[];
}

export async function currentPrincipal(): Promise<ClientPrincipal | null> {
  const res = await fetch('/.auth/me', { credentials: 'same-origin' });
  if (!res.ok) return null;
  const body = (await res.json()) as { clientPrincipal: ClientPrincipal | null };
  return body.clientPrincipal;
}
