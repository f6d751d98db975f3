/**
 * The data-plane REST API under `/api/hubs/{hub}/...` that `WebPubSubServiceClient` calls
 * (api-version 2024-12-01; other versions are accepted). Every call needs a Bearer HS256 JWT
 * signed with the access key whose `aud` is the request URL; otherwise 401.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { verifyRestRequestToken } from './access-token-verifier.js';
import type { ClientConnection } from './client-connection.js';
import { isGroupPermission } from './client-permissions.js';
import type { Hub } from './hub.js';
import { signHs256Jwt } from './jwt-hs256.js';
import { OutboundMessage, payloadFromRest } from './message-frames.js';
import { compileConnectionFilter, type ConnectionFilter } from './odata-filter.js';

export const MAX_REST_BODY_BYTES = 1024 * 1024;
const HUB_NAME = /^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/;

export interface RestContext {
  readonly accessKey: string;
  /** `https://host:port` (no trailing slash): the audience base of generated client tokens. */
  readonly endpoint: string;
  readonly scheme: 'http' | 'https';
  readonly hub: (name: string) => Hub;
  readonly removeConnection: (connection: ClientConnection, reason: string) => void;
  readonly log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  readonly counters: { restRequests: number; restUnauthorized: number; restMessages: number };
  readonly nowMs: () => number;
}

interface Call {
  readonly method: string;
  readonly route: readonly string[];
  readonly query: URLSearchParams;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  readonly hub: Hub;
  readonly url: URL;
}

type Reply = { status: number; body?: unknown };

const groupsBodySchema = z.object({ groups: z.array(z.string().min(1)).min(1), filter: z.string().optional() });

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Handles one request whose path starts with `/api/`. */
export async function handleRestRequest(req: IncomingMessage, res: ServerResponse, ctx: RestContext): Promise<void> {
  ctx.counters.restRequests++;
  const requestUrl = `${ctx.scheme}://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
  const url = new URL(requestUrl);
  const method = (req.method ?? 'GET').toUpperCase();
  try {
    const segments = url.pathname.split('/').slice(1).map(decodeSegment);
    if (segments[0] === 'api' && segments[1] === 'health' && segments.length === 2) return send(res, method, { status: 200 });
    const auth = verifyRestRequestToken(req.headers.authorization, requestUrl, ctx.accessKey, ctx.nowMs());
    if (!auth.ok) {
      ctx.counters.restUnauthorized++;
      ctx.log('warn', `web-pubsub: 401 ${method} ${url.pathname}: ${auth.error.message}`);
      req.resume();
      return send(res, method, { status: 401, body: { code: 'Unauthorized', message: auth.error.message } });
    }
    if (segments[0] !== 'api' || segments[1] !== 'hubs' || segments[2] === undefined) throw new HttpError(404, 'NotFound', `no API at ${url.pathname}`);
    const hubName = segments[2];
    if (!HUB_NAME.test(hubName)) throw new HttpError(400, 'InvalidHubName', `hub name ${hubName} is invalid`);
    const body = await readBody(req);
    const call: Call = {
      method,
      route: segments.slice(3),
      query: url.searchParams,
      body,
      contentType: req.headers['content-type'],
      hub: ctx.hub(hubName),
      url,
    };
    send(res, method, route(call, ctx));
  } catch (e) {
    if (e instanceof HttpError) {
      if (e.status >= 500) ctx.log('error', `web-pubsub: ${method} ${url.pathname}: ${e.message}`);
      send(res, method, { status: e.status, body: { code: e.code, message: e.message } });
    } else {
      ctx.log('error', `web-pubsub: ${method} ${url.pathname} failed: ${(e as Error).stack ?? String(e)}`);
      send(res, method, { status: 500, body: { code: 'InternalServerError', message: 'internal error' } });
    }
  }
}

function route(call: Call, ctx: RestContext): Reply {
  const { method, route: r, hub, query } = call;
  const [a, b, c, d] = r;
  const is = (m: string, length: number): boolean => method === m && r.length === length;
  const exists = (m: string) => m === 'HEAD' || m === 'GET';

  // Hub-wide operations.
  if (a === ':send' && is('POST', 1)) return sendMessage(call, ctx, (msg, audience) => hub.sendToAll(msg, audience), true);
  if (a === ':closeConnections' && is('POST', 1)) return closeMany(call, ctx, [...hub.connections.values()]);
  if (a === ':generateToken' && is('POST', 1)) return generateToken(call, ctx);
  if ((a === ':addToGroups' || a === ':removeFromGroups') && is('POST', 1)) return changeGroupsByFilter(call, a === ':addToGroups');

  if (a === 'connections' && b !== undefined) {
    const connection = hub.connections.get(b);
    if (r.length === 2 && exists(method)) return { status: connection ? 200 : 404 };
    if (r.length === 2 && method === 'DELETE') {
      if (connection) ctx.removeConnection(connection, query.get('reason') ?? 'closed by the server');
      return { status: 204 };
    }
    if (c === ':send' && is('POST', 3)) {
      return sendMessage(call, ctx, (msg) => {
        if (!connection) ctx.log('debug', `web-pubsub: send to unknown connection ${b} dropped`);
        connection?.deliver(msg);
        return connection ? 1 : 0;
      });
    }
    if (c === 'groups' && is('DELETE', 3)) {
      if (connection) hub.leaveAll(connection);
      return { status: 204 };
    }
  }

  if (a === 'groups' && b !== undefined) {
    checkPathName(b, 'group');
    if (r.length === 2 && exists(method)) return { status: hub.groupExists(b) ? 200 : 404 };
    if (c === ':send' && is('POST', 3)) return sendMessage(call, ctx, (msg, audience) => hub.sendToGroup(b, msg, audience), true);
    if (c === ':closeConnections' && is('POST', 3)) return closeMany(call, ctx, hub.groupMembers(b));
    if (c === 'connections' && is('GET', 3)) return listGroupConnections(call, b);
    if (c === 'connections' && d !== undefined && r.length === 4) {
      const connection = hub.connections.get(d);
      if (method === 'PUT') {
        if (!connection) throw new HttpError(404, 'NotFound', `connection ${d} does not exist`);
        hub.join(connection, b);
        return { status: 200 };
      }
      if (method === 'DELETE') {
        if (connection) hub.leave(connection, b);
        return { status: 204 };
      }
    }
  }

  if (a === 'permissions' && b !== undefined && c === 'connections' && d !== undefined && r.length === 4) {
    if (!isGroupPermission(b)) throw new HttpError(400, 'InvalidPermission', `permission must be joinLeaveGroup or sendToGroup, got ${b}`);
    const connection = hub.connections.get(d);
    const target = query.get('targetName') ?? undefined;
    if (exists(method)) return { status: connection?.permissions.has(b, target) ? 200 : 404 };
    if (!connection) throw new HttpError(404, 'NotFound', `connection ${d} does not exist`);
    if (method === 'PUT') {
      connection.permissions.grant(b, target);
      return { status: 200 };
    }
    if (method === 'DELETE') {
      connection.permissions.revoke(b, target);
      return { status: 204 };
    }
  }

  if (a === 'users' && b !== undefined) {
    checkPathName(b, 'user id');
    if (d !== undefined && c === 'groups') checkPathName(d, 'group');
    if (r.length === 2 && exists(method)) return { status: hub.userExists(b) ? 200 : 404 };
    if (c === ':send' && is('POST', 3)) return sendMessage(call, ctx, (msg, audience) => hub.sendToUser(b, msg, audience), false);
    if (c === ':closeConnections' && is('POST', 3)) return closeMany(call, ctx, hub.userConnections(b));
    if (c === 'groups' && is('DELETE', 3)) {
      hub.removeUserFromAllGroups(b);
      return { status: 204 };
    }
    if (c === 'groups' && d !== undefined && r.length === 4) {
      if (method === 'PUT') {
        hub.addUserToGroup(b, d);
        return { status: 200 };
      }
      if (method === 'DELETE') {
        hub.removeUserFromGroup(b, d);
        return { status: 204 };
      }
    }
  }
  throw new HttpError(404, 'NotFound', `no operation ${method} ${call.url.pathname}`);
}

type Deliver = (message: OutboundMessage, audience: { excluded?: ReadonlySet<string>; filter?: ConnectionFilter }) => number;

function sendMessage(call: Call, ctx: RestContext, deliver: Deliver, allowExcluded = false): Reply {
  const payload = payloadFromRest(call.contentType, call.body);
  if (!payload.ok) throw new HttpError(400, 'InvalidRequest', payload.error.message);
  const excludedIds = allowExcluded ? call.query.getAll('excluded') : [];
  const filter = parseFilter(call.query.get('filter'));
  ctx.counters.restMessages++;
  deliver(new OutboundMessage({ from: 'server' }, payload.value), {
    ...(excludedIds.length > 0 ? { excluded: new Set(excludedIds) } : {}),
    ...(filter ? { filter } : {}),
  });
  return { status: 202 };
}

function closeMany(call: Call, ctx: RestContext, connections: readonly ClientConnection[]): Reply {
  const excluded = new Set(call.query.getAll('excluded'));
  const reason = call.query.get('reason') ?? 'closed by the server';
  for (const c of connections) if (!excluded.has(c.connectionId)) ctx.removeConnection(c, reason);
  return { status: 204 };
}

function changeGroupsByFilter(call: Call, add: boolean): Reply {
  let json: unknown;
  try {
    json = JSON.parse(call.body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'InvalidRequest', 'body must be JSON {"groups": [...], "filter": "..."}');
  }
  const parsed = groupsBodySchema.safeParse(json);
  if (!parsed.success) throw new HttpError(400, 'InvalidRequest', `body: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const filter = parseFilter(parsed.data.filter);
  for (const connection of call.hub.select({ filter })) {
    for (const group of parsed.data.groups) {
      if (add) call.hub.join(connection, group);
      else call.hub.leave(connection, group);
    }
  }
  return { status: 200 };
}

function listGroupConnections(call: Call, group: string): Reply {
  const members = call.hub.groupMembers(group);
  const top = optionalInt(call.query.get('top'), 'top');
  const pageSize = optionalInt(call.query.get('maxpagesize'), 'maxpagesize') ?? 100;
  const start = optionalInt(call.query.get('continuationToken'), 'continuationToken') ?? 0;
  const end = Math.min(members.length, start + pageSize, top !== undefined ? top : Number.MAX_SAFE_INTEGER);
  const value = members.slice(start, end).map((c) => ({ connectionId: c.connectionId, ...(c.userId !== undefined ? { userId: c.userId } : {}) }));
  const limit = top !== undefined ? Math.min(top, members.length) : members.length;
  if (end >= limit) return { status: 200, body: { value } };
  const next = new URL(call.url.pathname, call.url);
  for (const [k, v] of call.query) if (k !== 'continuationToken') next.searchParams.append(k, v);
  next.searchParams.set('continuationToken', String(end));
  return { status: 200, body: { value, nextLink: `${next.pathname}${next.search}` } };
}

function generateToken(call: Call, ctx: RestContext): Reply {
  const minutes = optionalInt(call.query.get('minutesToExpire'), 'minutesToExpire') ?? 60;
  const userId = call.query.get('userId') ?? undefined;
  const roles = call.query.getAll('role');
  const groups = call.query.getAll('group');
  const clientType = (call.query.get('clientType') ?? 'Default').toLowerCase();
  const path =
    clientType === 'mqtt' ? `clients/mqtt/hubs/${call.hub.name}` : clientType === 'socketio' ? `clients/socketio/hubs/${call.hub.name}` : `client/hubs/${call.hub.name}`;
  const nowS = Math.floor(ctx.nowMs() / 1000);
  const token = signHs256Jwt(
    {
      ...(userId ? { sub: userId } : {}),
      ...(roles.length > 0 ? { role: roles } : {}),
      ...(groups.length > 0 ? { 'webpubsub.group': groups } : {}),
      aud: `${ctx.endpoint}/${path}`,
      iat: nowS,
      exp: nowS + minutes * 60,
    },
    ctx.accessKey,
  );
  return { status: 200, body: { token } };
}

/**
 * The service documents that group names and user ids containing "/" cannot be addressed reliably
 * in REST paths, even as %2F; refusing them here surfaces the problem locally instead of in Azure.
 */
function checkPathName(name: string, kind: string): void {
  if (name.includes('/')) {
    throw new HttpError(400, 'UnsupportedName', `${kind} "${name}" contains "/", which Azure Web PubSub REST paths cannot address reliably; use another separator`);
  }
  if (name.length > 1024 || name.trim() === '') throw new HttpError(400, 'InvalidName', `${kind} must be 1..1024 characters and not blank`);
}

function parseFilter(filter: string | null | undefined): ConnectionFilter | undefined {
  if (filter === null || filter === undefined || filter.trim() === '') return undefined;
  const compiled = compileConnectionFilter(filter);
  if (!compiled.ok) throw new HttpError(400, 'InvalidFilter', compiled.error.message);
  return compiled.value;
}

function optionalInt(value: string | null, name: string): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new HttpError(400, 'InvalidRequest', `${name} must be a non-negative integer`);
  return Number(value);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'InvalidRequest', `path segment ${segment} is not valid percent-encoding`);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_REST_BODY_BYTES) {
        failed = true;
        reject(new HttpError(413, 'PayloadTooLarge', `body exceeds ${MAX_REST_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, method: string, reply: Reply): void {
  if (res.headersSent) return;
  if (reply.body === undefined || method === 'HEAD') {
    res.writeHead(reply.status, { 'content-length': '0' });
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
