/**
 * The edge for raw uploads (`Content-Type: text/csv`), next to the JSON edge of shared/http: the same
 * authentication, scope check, error table and redacted logging, but the body is handed to the
 * handler as bytes up to its own limit instead of being parsed as JSON under 64 KB. The settings of
 * an upload travel in the query string and are validated there.
 *
 * `text/csv` is not a CORS-safelisted content type, so a cross-site page cannot send it with the SWA
 * cookie without a preflight the API never grants: uploads keep the CSRF property of the JSON routes.
 */
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { appError, err, type AppError, type Result } from '../core/result.js';
import { hasScope } from '../domain/api-token.js';
import type { AuthContext } from '../auth/auth-context.js';
import { API_TOKEN_HEADER } from '../auth/authenticator.js';
import { CLIENT_PRINCIPAL_HEADER } from '../auth/client-principal.js';
import type { ApiReply, AuthRequirement, EdgeDeps } from '../http/api-handler.js';
import { statusForCode } from '../http/error-status.js';
import { createRequestLog, type RequestLog } from '../http/log-redaction.js';
import { readBodyBytes } from '../http/request-body.js';
import { zodIssueDetails } from '../http/zod-details.js';

export interface UploadCall<Q, S> {
  readonly auth: AuthContext;
  readonly query: Q;
  readonly bytes: Buffer;
  readonly log: RequestLog;
  readonly services: S;
  readonly nowMs: number;
}

export interface UploadEndpointSpec<Q, S> {
  readonly auth: AuthRequirement;
  readonly query: z.ZodType<Q>;
  readonly maxBodyBytes: number;
  /** Media types accepted, lower case without parameters (e.g. `text/csv`). */
  readonly contentTypes: readonly string[];
  /** The 415 message (e.g. naming the other content types the route takes). */
  readonly unsupportedMessage: string;
  handle(call: UploadCall<Q, S>): Promise<Result<ApiReply>>;
}

const BASE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

export const mediaType = (value: string | null): string => (value ?? '').split(';')[0]!.trim().toLowerCase();

export function createUploadHandler<Q, S>(spec: UploadEndpointSpec<Q, S>, resolveDeps: () => Promise<EdgeDeps<S>>): HttpHandler {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const log = createRequestLog({ debug: (m) => context.debug(m), info: (m) => context.info(m), warn: (m) => context.warn(m), error: (m) => context.error(m) });
    log.keepSecret(request.headers.get('authorization')?.replace(/^Bearer\s+/i, ''));
    log.keepSecret(request.headers.get(API_TOKEN_HEADER));
    log.keepSecret(request.headers.get(CLIENT_PRINCIPAL_HEADER));
    try {
      const deps = await resolveDeps();
      const outcome = await run(spec, deps, request, log);
      if (outcome.ok) return respond(outcome.value.status, outcome.value.body, outcome.value.headers);
      return errorResponse(outcome.error, log, context.invocationId);
    } catch (e) {
      log.error(`unexpected error (ref ${context.invocationId}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return respond(500, { error: { code: 'INTERNAL', message: `An unexpected error occurred (ref ${context.invocationId}). It has been logged.` } });
    }
  };
}

async function run<Q, S>(spec: UploadEndpointSpec<Q, S>, deps: EdgeDeps<S>, request: HttpRequest, log: RequestLog): Promise<Result<ApiReply>> {
  const auth = await deps.authenticate(request.headers);
  if (!auth.ok) return auth;
  if (auth.value.via === 'token' && spec.auth.allow === 'principal') return err(appError('FORBIDDEN', 'This route needs a signed-in user; API tokens cannot use it.'));
  if (!hasScope(auth.value.scopes, spec.auth.scope)) return err(appError('FORBIDDEN', `This route needs the "${spec.auth.scope}" scope.`));
  if (!spec.contentTypes.includes(mediaType(request.headers.get('content-type')))) {
    return err(appError('UNSUPPORTED_MEDIA_TYPE', spec.unsupportedMessage));
  }
  const query = spec.query.safeParse(Object.fromEntries(request.query.entries()));
  if (!query.success) {
    const details = zodIssueDetails(query.error, 'query');
    return err(appError('VALIDATION.FAILED', `The request is invalid: ${details.slice(0, 3).map((d) => `${d.path}: ${d.message}`).join('; ')}.`, details));
  }
  const bytes = await readBodyBytes(request, spec.maxBodyBytes);
  if (!bytes.ok) return bytes;
  return spec.handle({ auth: auth.value, query: query.data, bytes: bytes.value, log, services: deps.services, nowMs: deps.nowMs() });
}

function errorResponse(error: AppError, log: RequestLog, invocationId: string): HttpResponseInit {
  const status = statusForCode(error.code);
  if (status === undefined) {
    log.error(`error code ${error.code} has no HTTP status in shared/http/error-status.ts (ref ${invocationId}): ${error.message}`);
    return respond(500, { error: { code: 'INTERNAL', message: `An unexpected error occurred (ref ${invocationId}). It has been logged.` } });
  }
  const body = error.details === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, details: error.details };
  return respond(status, { error: body });
}

function respond(status: number, body: unknown, headers?: Readonly<Record<string, string>>): HttpResponseInit {
  const merged = { ...BASE_HEADERS, ...headers };
  return body === undefined ? { status, headers: merged } : { status, jsonBody: body, headers: merged };
}
