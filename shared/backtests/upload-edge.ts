/**
 * The edge for raw uploads (`Content-Type: text/csv`), next to the JSON edge of shared/http: the same
 * authentication, scope check, error table and redacted logging, but the body is handed to the
 * handler as bytes up to its own limit instead of being parsed as JSON under 64 KB. The settings of
 * an upload travel in the query string and are validated there.
 *
 * `text/csv` is not a CORS-safelisted content type, so a cross-site page cannot send it with the SWA
 * cookie without a preflight the API never grants: uploads keep the CSRF property of the JSON routes.
 */
import type { HttpHandler, HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { appError, err, type Result } from '../core/result.js';
import type { AuthContext } from '../auth/auth-context.js';
import { authorize, edgeHandler, type ApiReply, type AuthRequirement, type EdgeDeps } from '../http/api-handler.js';
import type { RequestLog } from '../http/log-redaction.js';
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

export const mediaType = (value: string | null): string => (value ?? '').split(';')[0]!.trim().toLowerCase();

export function createUploadHandler<Q, S>(spec: UploadEndpointSpec<Q, S>, resolveDeps: () => Promise<EdgeDeps<S>>): HttpHandler {
  return edgeHandler(resolveDeps, (deps, request, log) => run(spec, deps, request, log));
}

async function run<Q, S>(spec: UploadEndpointSpec<Q, S>, deps: EdgeDeps<S>, request: HttpRequest, log: RequestLog): Promise<Result<ApiReply>> {
  const auth = await authorize(deps, request, spec.auth);
  if (!auth.ok) return auth;
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
