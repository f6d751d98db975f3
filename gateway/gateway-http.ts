/**
 * The gateway's own small HTTP API (Container App ingress; a port locally):
 * - GET /health: status (`up` | `degraded`), connections, disconnected markets, pending bars;
 * - GET /metrics: messages in/out per second, lag, reconnects, backfills, sinks, per market;
 * - GET /markets: watched markets, why (config | control | demand), their state;
 * - POST /markets `{"add":["binance:BTC/USDT"],"remove":[…]}`: change the set without a restart.
 * POST needs `x-gateway-key` = GATEWAY_CONTROL_KEY when one is configured, else a loopback caller.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { marketKeySchema } from '../shared/market/market-key.js';
import type { GatewayLog } from './gateway-log.js';
import type { Gateway } from './gateway-types.js';

export interface GatewayHttpOptions {
  readonly controlKey: string | undefined;
  readonly log: GatewayLog;
}

const MAX_BODY_BYTES = 64 * 1024;

export const marketsChangeSchema = z
  .strictObject({
    add: z.array(marketKeySchema).max(500).default([]),
    remove: z.array(marketKeySchema).max(500).default([]),
  })
  .refine((body) => body.add.length + body.remove.length > 0, { message: 'add or remove at least one market' });

export function createGatewayHttpServer(gateway: Omit<Gateway, 'url' | 'port'>, options: GatewayHttpOptions): Server {
  return createServer((req, res) => {
    handle(gateway, options, req, res).catch((e: unknown) => {
      options.log('error', `http ${req.method ?? ''} ${req.url ?? ''} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) reply(res, 500, { error: { code: 'INTERNAL', message: 'unexpected error; it has been logged' } });
      else res.destroy();
    });
  });
}

async function handle(gateway: Omit<Gateway, 'url' | 'port'>, options: GatewayHttpOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://gateway').pathname;
  const method = req.method ?? 'GET';
  if (path === '/health' && method === 'GET') {
    const health = gateway.health();
    return reply(res, 200, health);
  }
  if (path === '/metrics' && method === 'GET') return reply(res, 200, gateway.metrics());
  if (path === '/markets' && method === 'GET') return reply(res, 200, { markets: gateway.listMarkets() });
  if (path === '/markets' && method === 'POST') {
    if (!authorized(req, options.controlKey)) return reply(res, 401, { error: { code: 'AUTH.REQUIRED', message: 'send the control key as x-gateway-key' } });
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return reply(res, 415, { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send Content-Type: application/json' } });
    }
    const text = await readBody(req);
    if (text === undefined) return reply(res, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: `at most ${MAX_BODY_BYTES} bytes` } });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return reply(res, 400, { error: { code: 'VALIDATION.FAILED', message: 'the body is not JSON' } });
    }
    const parsed = marketsChangeSchema.safeParse(json);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      return reply(res, 400, { error: { code: 'VALIDATION.FAILED', message: details.map((d) => `${d.path || 'body'}: ${d.message}`).join('; '), details } });
    }
    if (parsed.data.add.length > 0) await gateway.addMarkets(parsed.data.add);
    const outcome = parsed.data.remove.length > 0 ? await gateway.removeMarkets(parsed.data.remove) : { removed: [], kept: [] };
    options.log('info', `markets changed via control: +[${parsed.data.add.join(', ')}] -[${outcome.removed.join(', ')}] kept [${outcome.kept.join(', ')}]`);
    return reply(res, 200, { added: parsed.data.add, ...outcome, markets: gateway.listMarkets() });
  }
  if (['/health', '/metrics', '/markets'].includes(path)) return reply(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `${method} is not supported here` } });
  return reply(res, 404, { error: { code: 'NOT_FOUND', message: `no resource at ${path}` } });
}

function authorized(req: IncomingMessage, controlKey: string | undefined): boolean {
  if (controlKey === undefined) {
    const remote = req.socket.remoteAddress ?? '';
    return remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1';
  }
  const given = Buffer.from(String(req.headers['x-gateway-key'] ?? ''));
  const expected = Buffer.from(controlKey);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify(body));
}
