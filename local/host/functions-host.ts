/**
 * The local Functions host: loads the Function App entry named by package.json `main` (the file Azure
 * loads), serves its HTTP triggers under the route prefix, and runs its timers. Durable and other
 * extension endpoints are mounted in front through `extensionRoutes`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { installFunctionsCoreShim, type CapturedApp, type Registration } from './functions-core-shim.js';
import { isAuthorized, type FunctionKeys } from './function-keys.js';
import { buildHttpRoutes, findRoute, type HttpRoute } from './http-trigger-router.js';
import { invokeFunction, type RpcInput } from './invoker.js';
import { collectTimerJobs, TimerScheduler } from './timer-scheduler.js';
import { loadAppEntries } from './app-entry.js';

export type ExtensionRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
export type HostLogger = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export interface FunctionsHostOptions {
  readonly projectRoot: string;
  /** Overrides package.json `main` (tests load fixture apps this way). */
  readonly appMain?: string;
  readonly host: string;
  readonly port: number;
  readonly routePrefix: string;
  readonly keys: FunctionKeys;
  readonly maxRequestBodyBytes: number;
  readonly log: HostLogger;
  /** Values for extra input bindings by binding type (e.g. `durableClient`). */
  readonly extraInputs: Record<string, (hostBaseUrl: string) => unknown>;
  readonly extensionRoutes: readonly ExtensionRoute[];
  readonly env: NodeJS.ProcessEnv;
  /** Runs after the app is loaded and before the port opens (e.g. to register entities). */
  readonly beforeListen?: (app: CapturedApp) => Promise<void>;
}

export interface RunningFunctionsHost {
  readonly app: CapturedApp;
  readonly baseUrl: string;
  readonly routes: readonly HttpRoute[];
  stop(): Promise<void>;
}

const LEVEL: Record<string, 'debug' | 'info' | 'warn' | 'error'> = {
  trace: 'debug', debug: 'debug', information: 'info', warning: 'warn', error: 'error', critical: 'error',
};

export async function startFunctionsHost(options: FunctionsHostOptions): Promise<RunningFunctionsHost> {
  const app = installFunctionsCoreShim();
  app.systemLog = (level, _category, message) => options.log(LEVEL[level] ?? 'info', `[library] ${message}`);
  const entries = loadAppEntries(options.projectRoot, options.appMain);
  options.log('info', `Loaded ${entries.length} app file(s): ${entries.map((e) => e.relative).join(', ')}`);
  const routes = buildHttpRoutes(app.registrations);
  const timers = collectTimerJobs(app.registrations, options.env);
  // Known once the port is open; requests and timers only run after that.
  let listeningBaseUrl = `http://${options.host}:${options.port}`;
  const functionLog = (level: string, name: string, message: string): void =>
    options.log(LEVEL[level] ?? 'info', `[${name}] ${message}`);

  await options.beforeListen?.(app);
  for (const hook of app.hooks.get('appStart') ?? []) await hook({ hookData: {}, appHookData: {} });

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((e: unknown) => {
      options.log('error', `Unhandled host error for ${req.method} ${req.url}: ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'HOST.INTERNAL', message: 'The host failed to process the request.' } });
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `${options.host}:${options.port}`}`);
    for (const ext of options.extensionRoutes) if (await ext(req, res, url)) return;
    const prefix = `/${options.routePrefix}`;
    const path = url.pathname;
    if (options.routePrefix && !(path === prefix || path.startsWith(`${prefix}/`))) {
      return sendJson(res, 404, { error: { code: 'HOST.NOT_FOUND', message: `No function is registered for ${path}.` } });
    }
    const routePath = options.routePrefix ? path.slice(prefix.length) : path;
    const method = (req.method ?? 'GET').toUpperCase();
    const found = findRoute(routes, method, routePath);
    if (found.kind === 'not-found') {
      return sendJson(res, 404, { error: { code: 'HOST.NOT_FOUND', message: `No function is registered for ${path}.` } });
    }
    if (found.kind === 'method-not-allowed') {
      res.setHeader('Allow', found.allowed.join(', '));
      return sendJson(res, 405, { error: { code: 'HOST.METHOD_NOT_ALLOWED', message: `${method} is not allowed here; use ${found.allowed.join(', ')}.` } });
    }
    const key = headerValue(req, 'x-functions-key') ?? url.searchParams.get('code') ?? undefined;
    if (!isAuthorized(found.route.authLevel, key, options.keys)) {
      return sendJson(res, 401, { error: { code: 'HOST.FUNCTION_KEY_REQUIRED', message: 'A valid function key is required (x-functions-key header or ?code=).' } });
    }
    const body = await readBody(req, options.maxRequestBodyBytes);
    if (body === 'too-large') {
      return sendJson(res, 413, { error: { code: 'HTTP.PAYLOAD_TOO_LARGE', message: `The request body exceeds ${options.maxRequestBodyBytes} bytes.` } });
    }
    await invokeHttp(found.route, found.params, req, url, body, res);
  }

  async function invokeHttp(route: HttpRoute, params: Record<string, string>, req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const inputData: RpcInput[] = [
      { name: route.triggerName, data: { http: { method: req.method, url: url.toString(), headers, query, params, body: { bytes: body } } } },
      ...extraInputData(route.registration),
    ];
    const outcome = await invokeFunction(app, route.registration, inputData, {}, functionLog);
    if (outcome.error !== undefined) {
      const e = outcome.error;
      options.log('error', `[${route.registration.metadata.name}] failed: ${describeError(e)}`);
      return sendJson(res, 500, { error: { code: 'INTERNAL', message: 'The function failed. The error has been logged.' } });
    }
    writeRpcHttpResponse(res, outcome.returnValue, req.method === 'HEAD');
  }

  function extraInputData(registration: Registration): RpcInput[] {
    const inputs: RpcInput[] = [];
    for (const [name, binding] of Object.entries(registration.metadata.bindings)) {
      if (binding.direction !== 'in' || binding.type.toLowerCase().endsWith('trigger')) continue;
      const provider = options.extraInputs[binding.type];
      if (!provider) throw new Error(`Function "${registration.metadata.name}" uses input binding type "${binding.type}", which the local host does not provide.`);
      inputs.push({ name, data: { string: JSON.stringify(provider(listeningBaseUrl)) } });
    }
    return inputs;
  }

  const scheduler = new TimerScheduler(timers, async (job, info) => {
    const timerValue = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: { Last: new Date(info.lastMs ?? info.scheduledMs).toISOString(), Next: new Date(info.nextMs).toISOString(), LastUpdated: new Date().toISOString() },
      IsPastDue: info.isPastDue,
    };
    const inputData = [{ name: job.triggerName, data: { json: JSON.stringify(timerValue) } }, ...extraInputData(job.registration)];
    try {
      const outcome = await invokeFunction(app, job.registration, inputData, {}, functionLog);
      if (outcome.error !== undefined) {
        const e = outcome.error;
        options.log('error', `[${job.registration.metadata.name}] timer failed: ${describeError(e)}`);
      }
    } catch (e) {
      options.log('error', `[${job.registration.metadata.name}] timer could not run: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const baseUrl = `http://${options.host}:${address.port}`;
  listeningBaseUrl = baseUrl;
  scheduler.start();
  for (const r of routes) {
    options.log('info', `  ${[...r.methods].join(',').padEnd(18)} ${baseUrl}/${options.routePrefix}/${r.template.source}  [${r.registration.metadata.name}, ${r.authLevel}]`);
  }
  for (const t of timers) options.log('info', `  TIMER ${t.schedule.padEnd(18)} [${t.registration.metadata.name}]${t.runOnStartup ? ' runOnStartup' : ''}`);

  return {
    app,
    baseUrl,
    routes,
    async stop() {
      await scheduler.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const hook of app.hooks.get('appTerminate') ?? []) await hook({ hookData: {}, appHookData: {} });
    },
  };
}

function describeError(e: unknown): string {
  if (e instanceof Error) return e.stack ?? e.message;
  return typeof e === 'string' ? e : JSON.stringify(e);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

interface RpcCookie {
  name?: string;
  value?: string;
  domain?: { value?: string };
  path?: { value?: string };
  expires?: { value?: { seconds?: number } };
  secure?: { value?: boolean };
  httpOnly?: { value?: boolean };
  sameSite?: string;
  maxAge?: { value?: number };
}

function cookieHeader(c: RpcCookie): string {
  const parts = [`${c.name ?? ''}=${c.value ?? ''}`];
  if (c.domain?.value) parts.push(`Domain=${c.domain.value}`);
  if (c.path?.value) parts.push(`Path=${c.path.value}`);
  if (c.expires?.value?.seconds !== undefined) parts.push(`Expires=${new Date(c.expires.value.seconds * 1000).toUTCString()}`);
  if (c.maxAge?.value !== undefined) parts.push(`Max-Age=${c.maxAge.value}`);
  if (c.secure?.value) parts.push('Secure');
  if (c.httpOnly?.value) parts.push('HttpOnly');
  if (c.sameSite === 'lax') parts.push('SameSite=Lax');
  else if (c.sameSite === 'strict') parts.push('SameSite=Strict');
  else if (c.sameSite === 'explicitNone') parts.push('SameSite=None');
  return parts.join('; ');
}

function writeRpcHttpResponse(res: ServerResponse, returnValue: unknown, headOnly: boolean): void {
  const http = (returnValue as { http?: { statusCode?: string; headers?: Record<string, string>; cookies?: RpcCookie[]; body?: { bytes?: Uint8Array; string?: string } } } | undefined)?.http;
  if (!http) {
    res.writeHead(204);
    res.end();
    return;
  }
  const body = http.body?.bytes ? Buffer.from(http.body.bytes) : Buffer.from(http.body?.string ?? '');
  const status = Number(http.statusCode ?? 200);
  for (const [k, v] of Object.entries(http.headers ?? {})) res.setHeader(k, v);
  const cookies = (http.cookies ?? []).map(cookieHeader);
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.setHeader('content-length', body.length);
  res.writeHead(status);
  res.end(headOnly ? undefined : body);
}
