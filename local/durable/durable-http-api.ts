/**
 * The Durable Task extension's HTTP API for entities, as durable-functions' DurableClient calls it:
 *
 *   POST {prefix}/entities/{name}/{key}?op=OP   body = JSON input      → 202 (once durable)
 *   GET  {prefix}/entities/{name}/{key}                                → 200 JSON state | 404
 *   GET  {prefix}/entities[/{name}]?top=&fetchState=&lastOperationTimeFrom=&lastOperationTimeTo=
 *        paging through the `x-ms-continuation-token` request/response header
 *   GET  {prefix}/instances                                            → 200 [] (no orchestrations)
 *   anything else under instances/ or orchestrators/                   → 501 JSON error
 *
 * {prefix} is /runtime/webhooks/durabletask (the client binding's baseUrl/rpcBaseUrl); the bare
 * /durabletask prefix of the extension's internal RPC endpoint is answered too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { appError, type AppError, type Result } from '../../shared/core/result.js';
import { DURABLE_API_PREFIX } from './durable-client-binding.js';
import type { EntityListOptions, EntityListPage } from './entity-query.js';

export interface DurableHttpBackend {
  readonly hubName: string;
  signalJson(name: string, key: string, op: string | null, inputJson: string | undefined): Promise<Result<void, AppError>>;
  readStateJson(name: string, key: string): Result<{ exists: false } | { exists: true; stateJson: string }, AppError>;
  list(name: string | undefined, options: EntityListOptions): Result<EntityListPage, AppError>;
}

const PREFIXES = [`${DURABLE_API_PREFIX}/`, '/durabletask/'];
const MAX_SIGNAL_BODY_BYTES = 1024 * 1024;
const CONTINUATION_HEADER = 'x-ms-continuation-token';

const STATUS_BY_CODE: Record<string, number> = {
  'DURABLE.INVALID_ENTITY_NAME': 400,
  'DURABLE.INVALID_ENTITY_KEY': 400,
  'DURABLE.INVALID_OPERATION': 400,
  'DURABLE.INVALID_INPUT': 400,
  'DURABLE.INVALID_QUERY': 400,
  'DURABLE.INVALID_PAGE_SIZE': 400,
  'DURABLE.INVALID_CONTINUATION_TOKEN': 400,
  'DURABLE.ENTITY_NOT_FOUND': 404,
  'DURABLE.TASK_HUB_NOT_FOUND': 404,
  'DURABLE.NOT_FOUND': 404,
  'DURABLE.METHOD_NOT_ALLOWED': 405,
  'DURABLE.PAYLOAD_TOO_LARGE': 413,
  'DURABLE.ORCHESTRATIONS_UNSUPPORTED': 501,
  'DURABLE.NOT_RUNNING': 503,
};

const isoTimeMs = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
const listQuerySchema = z.object({
  top: z.coerce.number().int().min(1).max(1000).optional(),
  fetchState: z.enum(['true', 'false']).optional(),
  lastOperationTimeFrom: isoTimeMs.optional(),
  lastOperationTimeTo: isoTimeMs.optional(),
});

/** Returns false when the path is not the durable API, so the host can route it elsewhere. */
export async function handleDurableHttpRequest(backend: DurableHttpBackend, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const prefix = PREFIXES.find((p) => url.pathname.startsWith(p) || `${url.pathname}/` === p);
  if (!prefix) return false;
  const segments = url.pathname
    .slice(prefix.length)
    .split('/')
    .filter((s) => s.length > 0)
    .map(safeDecode);
  const method = (req.method ?? 'GET').toUpperCase();

  const taskHub = url.searchParams.get('taskHub');
  if (taskHub !== null && taskHub.toLowerCase() !== backend.hubName.toLowerCase()) {
    return fail(res, appError('DURABLE.TASK_HUB_NOT_FOUND', `Task hub "${taskHub}" does not exist here; the local runtime serves "${backend.hubName}".`));
  }
  if (segments.some((s) => s === undefined)) return fail(res, appError('DURABLE.NOT_FOUND', 'The request path is not valid percent-encoding.'));
  const [area, name, key, ...rest] = segments as string[];

  if (area === 'entities' && rest.length === 0) {
    if (name !== undefined && key !== undefined) {
      if (method === 'POST') return signal(backend, req, res, url, name, key);
      if (method === 'GET') return readState(backend, res, name, key);
      return methodNotAllowed(res, ['GET', 'POST']);
    }
    if (method === 'GET') return list(backend, req, res, url, name);
    return methodNotAllowed(res, ['GET']);
  }
  if (area === 'instances' && name === undefined && method === 'GET') {
    sendJson(res, 200, []);
    return true;
  }
  if (area === 'instances' || area === 'orchestrators') {
    return fail(res, appError('DURABLE.ORCHESTRATIONS_UNSUPPORTED', 'The local durable runtime runs entities only; orchestrations and their instance APIs are not available locally.'));
  }
  return fail(res, appError('DURABLE.NOT_FOUND', `No durable API at ${url.pathname}.`));
}

async function signal(backend: DurableHttpBackend, req: IncomingMessage, res: ServerResponse, url: URL, name: string, key: string): Promise<boolean> {
  const body = await readBody(req, MAX_SIGNAL_BODY_BYTES);
  if (body === 'too-large') return fail(res, appError('DURABLE.PAYLOAD_TOO_LARGE', `The operation input exceeds ${MAX_SIGNAL_BODY_BYTES} bytes.`));
  const text = body.toString('utf8');
  const result = await backend.signalJson(name, key, url.searchParams.get('op'), text.trim().length === 0 ? undefined : text);
  if (!result.ok) return fail(res, result.error);
  res.writeHead(202, { 'content-length': 0 });
  res.end();
  return true;
}

function readState(backend: DurableHttpBackend, res: ServerResponse, name: string, key: string): boolean {
  const result = backend.readStateJson(name, key);
  if (!result.ok) return fail(res, result.error);
  if (!result.value.exists) return fail(res, appError('DURABLE.NOT_FOUND', `Entity @${name}@${key} does not exist.`));
  sendText(res, 200, result.value.stateJson);
  return true;
}

function list(backend: DurableHttpBackend, req: IncomingMessage, res: ServerResponse, url: URL, name: string | undefined): boolean {
  const query = listQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) {
    const issue = query.error.issues[0];
    return fail(res, appError('DURABLE.INVALID_QUERY', `Invalid entity query: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}.`));
  }
  const token = req.headers[CONTINUATION_HEADER];
  const result = backend.list(name, {
    continuationToken: Array.isArray(token) ? token[0] : token,
    pageSize: query.data.top,
    fetchState: query.data.fetchState === 'true',
    lastOperationFromMs: query.data.lastOperationTimeFrom,
    lastOperationToMs: query.data.lastOperationTimeTo,
  });
  if (!result.ok) return fail(res, result.error);
  if (result.value.continuationToken) res.setHeader(CONTINUATION_HEADER, result.value.continuationToken);
  sendJson(res, 200, result.value.entities);
  return true;
}

function methodNotAllowed(res: ServerResponse, allowed: string[]): boolean {
  res.setHeader('allow', allowed.join(', '));
  return fail(res, appError('DURABLE.METHOD_NOT_ALLOWED', `Use ${allowed.join(' or ')} here.`));
}

function fail(res: ServerResponse, error: AppError): boolean {
  sendJson(res, STATUS_BY_CODE[error.code] ?? 500, { error: { code: error.code, message: error.message } });
  return true;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, jsonText: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(jsonText) });
  res.end(jsonText);
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
