/**
 * The HTTP functions of /api/backtests and /api/optimizations (the two differ only in kind, body
 * schema and detail view), registered by functions/backtests-*.ts and functions/optimizations-*.ts.
 * POST takes either JSON (stored candles) or `Content-Type: text/csv` (an upload, settings in the
 * query); one registration dispatches on the content type because a route has one function.
 */
import type { HttpFunctionOptions, HttpRequest, InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { appError, err, ok, type Result } from '../core/result.js';
import { createApiHandler, reply, type ApiEndpointSpec } from '../http/api-handler.js';
import type { FunctionRuntime } from '../http/api-services.js';
import { isJsonContentType } from '../http/request-body.js';
import { zodIssueDetails } from '../http/zod-details.js';
import {
  backtestSettingsSchema,
  createBacktestBodySchema,
  createOptimizationBodySchema,
  csvUploadQuerySchema,
  jobDetailQuerySchema,
  jobIdParams,
  optimizationSettingsSchema,
} from '../schemas/backtest-schemas.js';
import { MAX_UPLOAD_BYTES, type JobKind } from '../schemas/backtest-views.js';
import { listQuerySchema } from '../schemas/paging-schemas.js';
import { toJobSummaryView } from './backtest-job-record.js';
import { backtestEdgeDeps, type BacktestServices } from './backtest-services.js';
import { parseCsvUpload } from './csv-upload.js';
import { submitJob, type JobSpec } from './job-submission.js';
import { backtestDetail, optimizationDetail } from './job-views.js';
import { createUploadHandler } from './upload-edge.js';

const READ = { allow: 'principal-or-token', scope: 'read' } as const;
/** Starting and deleting runs changes the tenant's data: `trade` scope for tokens. */
const WRITE = { allow: 'principal-or-token', scope: 'trade' } as const;
export const CSV_MEDIA_TYPES = ['text/csv'] as const;

const routeOf = (kind: JobKind): string => (kind === 'backtest' ? 'backtests' : 'optimizations');

function endpoint<B, Q, P>(runtime: FunctionRuntime, methods: HttpFunctionOptions['methods'], route: string, spec: ApiEndpointSpec<B, Q, P, BacktestServices>): HttpFunctionOptions {
  return { methods, route, authLevel: 'anonymous', handler: createApiHandler(spec, () => backtestEdgeDeps(runtime)) };
}

/** The settings of an upload arrive as JSON text in `?settings=`. */
function parseSettingsQuery<T>(schema: z.ZodType<T>, text: string): Result<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    const message = 'must be a JSON object';
    return err(appError('VALIDATION.FAILED', `The request is invalid: query.settings: ${message}.`, [{ path: 'query.settings', message }]));
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return ok(parsed.data);
  const details = zodIssueDetails(parsed.error, 'settings');
  return err(appError('VALIDATION.FAILED', `The request is invalid: ${details.slice(0, 3).map((d) => `${d.path}: ${d.message}`).join('; ')}.`, details));
}

function uploadRequest(kind: JobKind, settingsText: string): Result<JobSpec> {
  if (kind === 'backtest') {
    const settings = parseSettingsQuery(backtestSettingsSchema, settingsText);
    return settings.ok ? ok({ kind, settings: settings.value }) : settings;
  }
  const settings = parseSettingsQuery(optimizationSettingsSchema, settingsText);
  return settings.ok ? ok({ kind, settings: settings.value }) : settings;
}

export function jobCreateFunction(runtime: FunctionRuntime, kind: JobKind): HttpFunctionOptions {
  const deps = () => backtestEdgeDeps(runtime);
  const json =
    kind === 'backtest'
      ? createApiHandler(
          {
            auth: WRITE,
            body: createBacktestBodySchema,
            handle: ({ auth, body, services, nowMs }) => submitJob(services, auth.tenantId, nowMs, { kind, settings: body, data: { kind: 'candles', source: body.data } }),
          },
          deps,
        )
      : createApiHandler(
          {
            auth: WRITE,
            body: createOptimizationBodySchema,
            handle: ({ auth, body, services, nowMs }) => submitJob(services, auth.tenantId, nowMs, { kind, settings: body, data: { kind: 'candles', source: body.data } }),
          },
          deps,
        );
  const upload = createUploadHandler(
    {
      auth: WRITE,
      query: csvUploadQuerySchema,
      maxBodyBytes: MAX_UPLOAD_BYTES,
      contentTypes: CSV_MEDIA_TYPES,
      unsupportedMessage: 'Send Content-Type: application/json (a run on stored candles) or Content-Type: text/csv (an uploaded CSV, settings in ?settings=).',
      handle: async ({ auth, query, bytes, services, nowMs }) => {
        const request = uploadRequest(kind, query.settings);
        if (!request.ok) return request;
        const series = parseCsvUpload(bytes, query.fileName);
        if (!series.ok) return series;
        return submitJob(services, auth.tenantId, nowMs, { ...request.value, data: { kind: 'csv', fileName: query.fileName, series: series.value } });
      },
    },
    deps,
  );
  return {
    methods: ['POST'],
    route: routeOf(kind),
    authLevel: 'anonymous',
    // JSON (and a cookie POST without a content type, which the JSON edge refuses as CSRF) goes to the
    // JSON edge; everything else to the upload edge, which takes text/csv and answers 415 otherwise.
    handler: (request: HttpRequest, context: InvocationContext) => {
      const type = request.headers.get('content-type');
      return type === null || isJsonContentType(type) ? json(request, context) : upload(request, context);
    },
  };
}

export function jobListFunction(runtime: FunctionRuntime, kind: JobKind): HttpFunctionOptions {
  return endpoint(runtime, ['GET'], routeOf(kind), {
    auth: READ,
    query: listQuerySchema,
    handle: async ({ auth, query, services }) => {
      const page = await services.jobs.list(auth.tenantId, kind, query);
      if (!page.ok) return page;
      return ok(reply.ok({ items: page.value.items.map((s) => toJobSummaryView(s.record, s.etag)), continuationToken: page.value.continuationToken }));
    },
  });
}

export function jobGetFunction(runtime: FunctionRuntime, kind: JobKind): HttpFunctionOptions {
  return endpoint(runtime, ['GET'], `${routeOf(kind)}/{id}`, {
    auth: READ,
    params: jobIdParams,
    query: jobDetailQuerySchema,
    handle: async ({ auth, params, query, services }) => {
      const job = await services.jobs.get(auth.tenantId, params.id, kind);
      if (!job.ok) return job;
      const view = kind === 'backtest' ? await backtestDetail(services.jobs, job.value, query.maxPoints) : await optimizationDetail(services.jobs, job.value);
      return ok(reply.ok(view, { etag: view.etag }));
    },
  });
}

export function jobDeleteFunction(runtime: FunctionRuntime, kind: JobKind): HttpFunctionOptions {
  return endpoint(runtime, ['DELETE'], `${routeOf(kind)}/{id}`, {
    auth: WRITE,
    params: jobIdParams,
    handle: async ({ auth, params, request, services, log }) => {
      const deleted = await services.jobs.delete(auth.tenantId, params.id, kind, request.headers.get('if-match') ?? undefined);
      if (!deleted.ok) return deleted;
      log.info(`${kind} ${params.id} deleted`);
      return ok(reply.noContent());
    },
  });
}
