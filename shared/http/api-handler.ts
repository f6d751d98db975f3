/**
 * The edge every API route goes through, in this order: authenticate (principal or token, required
 * scope) → route params (malformed id = 404) → body size limit → JSON content type → zod body and
 * query → handler → map the Result to HTTP through the one error table. Unexpected errors answer 500
 * with a reference and a generic message; the real error is logged, redacted, never sent.
 */
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { appError, err, type AppError, type Result } from '../core/result.js';
import { hasScope, type TokenScope } from '../domain/api-token.js';
import type { AuthContext } from '../auth/auth-context.js';
import { API_TOKEN_HEADER, type Authenticator } from '../auth/authenticator.js';
import { CLIENT_PRINCIPAL_HEADER } from '../auth/client-principal.js';
import { statusForCode } from './error-status.js';
import { createRequestLog, type RequestLog } from './log-redaction.js';
import { isJsonContentType, MAX_JSON_BODY_BYTES, parseJsonBody, readBodyBytes } from './request-body.js';
import { zodIssueDetails } from './zod-details.js';

export interface AuthRequirement {
  /** `principal`: signed-in users only (token management, credentials). `principal-or-token`: scripts too. */
  readonly allow: 'principal' | 'principal-or-token';
  /** Scope a token needs; signed-in users hold every scope. */
  readonly scope: TokenScope;
}

export interface ApiReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ApiCall<B, Q, P, S> {
  readonly auth: AuthContext;
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly request: HttpRequest;
  readonly log: RequestLog;
  readonly services: S;
  readonly nowMs: number;
}

export interface ApiEndpointSpec<B, Q, P, S> {
  readonly auth: AuthRequirement;
  readonly params?: z.ZodType<P>;
  /** Without a schema the route takes no body (empty or `{}`). */
  readonly body?: z.ZodType<B>;
  readonly query?: z.ZodType<Q>;
  readonly maxBodyBytes?: number;
  handle(call: ApiCall<B, Q, P, S>): Promise<Result<ApiReply>>;
}

export interface EdgeDeps<S> {
  readonly authenticate: Authenticator;
  readonly services: S;
  nowMs(): number;
}

const NO_BODY: z.ZodType<unknown> = z.union([z.undefined(), z.strictObject({})]).transform(() => undefined);
const BASE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export function createApiHandler<B, Q, P, S>(spec: ApiEndpointSpec<B, Q, P, S>, resolveDeps: () => Promise<EdgeDeps<S>>): HttpHandler {
  return edgeHandler(resolveDeps, (deps, request, log) => run(spec, deps, request, log));
}

/**
 * The envelope every edge shares (JSON routes here, raw uploads in shared/backtests): request log with
 * the caller's credentials redacted, the one error table, and a generic 500 for anything unexpected.
 */
export function edgeHandler<S>(
  resolveDeps: () => Promise<EdgeDeps<S>>,
  run: (deps: EdgeDeps<S>, request: HttpRequest, log: RequestLog) => Promise<Result<ApiReply>>,
): HttpHandler {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const log = createRequestLog({
      debug: (m) => context.debug(m),
      info: (m) => context.info(m),
      warn: (m) => context.warn(m),
      error: (m) => context.error(m),
    });
    log.keepSecret(request.headers.get('authorization')?.replace(/^Bearer\s+/i, ''));
    log.keepSecret(request.headers.get(API_TOKEN_HEADER));
    log.keepSecret(request.headers.get(CLIENT_PRINCIPAL_HEADER));
    try {
      const deps = await resolveDeps();
      const outcome = await run(deps, request, log);
      if (outcome.ok) return respond(outcome.value.status, outcome.value.body, outcome.value.headers);
      return errorResponse(outcome.error, log, context.invocationId);
    } catch (e) {
      log.error(`unexpected error (ref ${context.invocationId}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return respond(500, { error: { code: 'INTERNAL', message: `An unexpected error occurred (ref ${context.invocationId}). It has been logged.` } });
    }
  };
}

/** Authenticates the caller and checks the route's token rule and scope. */
export async function authorize<S>(deps: EdgeDeps<S>, request: HttpRequest, requirement: AuthRequirement): Promise<Result<AuthContext>> {
  const auth = await deps.authenticate(request.headers);
  if (!auth.ok) return auth;
  if (auth.value.via === 'token' && requirement.allow === 'principal') {
    return err(appError('FORBIDDEN', 'This route needs a signed-in user; API tokens cannot use it.'));
  }
  if (!hasScope(auth.value.scopes, requirement.scope)) {
    return err(appError('FORBIDDEN', `This route needs the "${requirement.scope}" scope.`));
  }
  return auth;
}

async function run<B, Q, P, S>(spec: ApiEndpointSpec<B, Q, P, S>, deps: EdgeDeps<S>, request: HttpRequest, log: RequestLog): Promise<Result<ApiReply>> {
  const auth = await authorize(deps, request, spec.auth);
  if (!auth.ok) return auth;

  const params = spec.params ? spec.params.safeParse(request.params) : { success: true as const, data: undefined as P };
  if (!params.success) return err(appError('NOT_FOUND', 'No such resource.'));

  const limit = spec.maxBodyBytes ?? MAX_JSON_BODY_BYTES;
  const bytes = await readBodyBytes(request, limit);
  if (!bytes.ok) return bytes;
  const method = request.method.toUpperCase();
  // A cross-site form can post with the user's SWA cookie but cannot declare JSON without a CORS
  // preflight, so cookie-authenticated unsafe requests must declare it even when they carry no body.
  const needsJson = bytes.value.length > 0 || (UNSAFE_METHODS.has(method) && auth.value.via === 'principal');
  if (needsJson && !isJsonContentType(request.headers.get('content-type'))) {
    return err(appError('UNSUPPORTED_MEDIA_TYPE', 'Send the request with Content-Type: application/json.'));
  }
  const raw = parseJsonBody(bytes.value);
  if (!raw.ok) return raw;

  const bodySchema: z.ZodType<unknown> = spec.body ?? NO_BODY;
  const body = bodySchema.safeParse(raw.value);
  if (!body.success) {
    const details = zodIssueDetails(body.error);
    return err(appError('VALIDATION.FAILED', summarize(details), details));
  }

  const rawQuery = Object.fromEntries(request.query.entries());
  const query = spec.query ? spec.query.safeParse(rawQuery) : { success: true as const, data: undefined as Q };
  if (!query.success) {
    const details = zodIssueDetails(query.error, 'query');
    return err(appError('VALIDATION.FAILED', summarize(details), details));
  }

  return spec.handle({
    auth: auth.value,
    body: body.data as B,
    query: query.data,
    params: params.data,
    request,
    log,
    services: deps.services,
    nowMs: deps.nowMs(),
  });
}

function errorResponse(error: AppError, log: RequestLog, invocationId: string): HttpResponseInit {
  const status = statusForCode(error.code);
  if (status === undefined) {
    log.error(`error code ${error.code} has no HTTP status in shared/http/error-status.ts (ref ${invocationId}): ${error.message}`);
    return respond(500, { error: { code: 'INTERNAL', message: `An unexpected error occurred (ref ${invocationId}). It has been logged.` } });
  }
  if (status >= 500) log.error(`${error.code} (ref ${invocationId}): ${error.message}`);
  const body = error.details === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, details: error.details };
  return respond(status, { error: body });
}

function respond(status: number, body: unknown, headers?: Readonly<Record<string, string>>): HttpResponseInit {
  const merged = { ...BASE_HEADERS, ...headers };
  return body === undefined ? { status, headers: merged } : { status, jsonBody: body, headers: merged };
}

function summarize(details: readonly { path: string; message: string }[]): string {
  const first = details.slice(0, 3).map((d) => `${d.path}: ${d.message}`);
  return `The request is invalid: ${first.join('; ')}${details.length > 3 ? ` (and ${details.length - 3} more)` : ''}.`;
}

export const reply = {
  ok: (body: unknown, headers?: Record<string, string>): ApiReply => (headers ? { status: 200, body, headers } : { status: 200, body }),
  created: (body: unknown, headers?: Record<string, string>): ApiReply => (headers ? { status: 201, body, headers } : { status: 201, body }),
  noContent: (): ApiReply => ({ status: 204 }),
};
