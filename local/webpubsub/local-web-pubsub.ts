/**
 * Local Azure Web PubSub emulator: the data-plane REST API the unmodified server SDK
 * (`@azure/web-pubsub`) calls, and the client websocket endpoint with the
 * `json.webpubsub.azure.v1` / `json.reliable.webpubsub.azure.v1` subprotocols the browser SDK
 * (`@azure/web-pubsub-client`) speaks. One process, in memory, HTTPS/WSS (or plain for tests).
 * See docs/webpubsub-emulator.md for what is implemented and how it differs from the service.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { ClientIdentity } from './access-token-verifier.js';
import { ClientConnection, CLOSE_SESSION_REMOVED, type ClientProtocol } from './client-connection.js';
import type { ClientEvent } from './client-message-handler.js';
import { ClientPermissions } from './client-permissions.js';
import { handleClientUpgrade } from './client-websocket-endpoint.js';
import { Hub } from './hub.js';
import { handleRestRequest } from './rest-api.js';

export type WebPubSubLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LocalWebPubSubOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** Access key of the connection string; a random one when omitted. */
  readonly accessKey?: string;
  /** PEM certificate and key for HTTPS/WSS (see local/tls/local-tls.ts), or false for HTTP/WS. */
  readonly tls: { readonly cert: string; readonly key: string } | false;
  readonly log?: (level: WebPubSubLogLevel, message: string) => void;
  /** How long a reliable session whose websocket dropped waits for recovery (default 60 s). */
  readonly recoveryWindowMs?: number;
  /** Unacknowledged reliable frames per connection before the session is dropped (default 50,000). */
  readonly maxUnackedFrames?: number;
  /** Bytes queued on one websocket before it counts as a stuck consumer and is closed (default 64 MiB). */
  readonly maxBufferedBytes?: number;
  /** Batch frames to one connection within an event-loop turn into one socket write (default true). */
  readonly corkWrites?: boolean;
  /**
   * Also accept client websockets (only those: no REST) over plain HTTP on this loopback port, for
   * browsers on this machine, which do not trust the emulator's local CA. Tokens are checked the same.
   */
  readonly browserPort?: number;
  /** Client `event` requests (the service would call an upstream handler). */
  readonly onClientEvent?: (event: ClientEvent) => void;
}

export interface LocalWebPubSubStats {
  readonly hubs: number;
  readonly connections: number;
  readonly groups: number;
  readonly restRequests: number;
  readonly restUnauthorized: number;
  /** REST sends accepted (to all, group, user, connection). */
  readonly restMessages: number;
  readonly connectsRejected: number;
  readonly clientFramesIn: number;
  /** Websocket frames written to clients (data and control). */
  readonly framesSent: number;
  readonly bytesSent: number;
  readonly reliableResent: number;
  readonly connectionsDroppedAsSlow: number;
}

export interface LocalWebPubSub {
  /** `ws://localhost:<port>` when `browserPort` was given: where browsers connect instead of the TLS endpoint. */
  readonly browserClientOrigin: string | undefined;
  /** `https://127.0.0.1:<port>` (or http://): the service endpoint for `WebPubSubServiceClient`. */
  readonly endpoint: string;
  /** `Endpoint=...;AccessKey=...;Port=...;Version=1.0;` for `new WebPubSubServiceClient(cs, hub)`. */
  readonly connectionString: string;
  readonly accessKey: string;
  readonly port: number;
  stop(): Promise<void>;
  stats(): LocalWebPubSubStats;
  /** Fault injection: cut a client's TCP connection without a close handshake (as a network drop). */
  dropConnection(connectionId: string): boolean;
}

export async function startLocalWebPubSub(opts: LocalWebPubSubOptions): Promise<LocalWebPubSub> {
  const log = opts.log ?? (() => undefined);
  const accessKey = opts.accessKey ?? randomBytes(32).toString('base64');
  const host = opts.host ?? '127.0.0.1';
  const scheme = opts.tls ? 'https' : 'http';
  const recoveryWindowMs = opts.recoveryWindowMs ?? 60_000;
  const limits = { maxUnackedFrames: opts.maxUnackedFrames ?? 50_000, maxBufferedBytes: opts.maxBufferedBytes ?? 64 * 1024 * 1024 };
  const corkWrites = opts.corkWrites ?? true;
  const nowMs = (): number => Date.now();

  const hubs = new Map<string, Hub>();
  const hub = (name: string): Hub => {
    // Hub names are case-insensitive in the service.
    const key = name.toLowerCase();
    let h = hubs.get(key);
    if (!h) hubs.set(key, (h = new Hub(name)));
    return h;
  };
  const counters = {
    restRequests: 0,
    restUnauthorized: 0,
    restMessages: 0,
    connectsRejected: 0,
    clientFramesIn: 0,
    framesSent: 0,
    bytesSent: 0,
    reliableResent: 0,
    connectionsDroppedAsSlow: 0,
  };

  const removeConnection = (connection: ClientConnection, reason: string, code = CLOSE_SESSION_REMOVED): void => {
    clearTimeout(connection.recoveryTimer);
    hub(connection.hub).remove(connection);
    connection.closeSocket(code, reason);
    log('debug', `web-pubsub: ${connection.hub}: removed ${connection.connectionId} (${reason})`);
  };

  const onOverflow = (connection: ClientConnection, reason: string): void => {
    counters.connectionsDroppedAsSlow++;
    log('warn', `web-pubsub: ${connection.hub}: closing ${connection.connectionId}: ${reason}`);
    removeConnection(connection, `slow consumer: ${reason}`, 1013);
  };

  const openSession = (h: Hub, identity: ClientIdentity, protocol: ClientProtocol): ClientConnection => {
    const permissions = ClientPermissions.fromRoles(identity.roles, (role, why) => log('warn', `web-pubsub: ignoring role ${role}: ${why}`));
    const connection = new ClientConnection(h.name, identity.userId, protocol, permissions, limits, counters, onOverflow, corkWrites);
    h.add(connection, identity.groups);
    return connection;
  };

  const socketClosed = (connection: ClientConnection, abnormal: boolean): void => {
    if (connection.removed) return;
    if (connection.isReliable && abnormal) {
      // The reliable protocol keeps the session (groups, unacknowledged frames) for the client to recover.
      clearTimeout(connection.recoveryTimer);
      connection.recoveryTimer = setTimeout(() => {
        if (!connection.isAttached && !connection.removed) removeConnection(connection, 'not recovered in time');
      }, recoveryWindowMs);
      connection.recoveryTimer.unref();
      return;
    }
    hub(connection.hub).remove(connection);
    log('debug', `web-pubsub: ${connection.hub}: disconnected ${connection.connectionId}`);
  };

  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // Client frames are small requests; the service limits them to 1 MB.
    maxPayload: 1024 * 1024,
    // The subprotocol was validated before the upgrade; answer with the same choice.
    handleProtocols: (offered) => {
      for (const p of ['json.reliable.webpubsub.azure.v1', 'json.webpubsub.azure.v1']) if (offered.has(p)) return p;
      return false;
    },
  });

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if ((req.url ?? '').startsWith('/api/')) {
      void handleRestRequest(req, res, restContext);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'NotFound', message: `no resource at ${req.url}` }));
  };
  const server: Server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest) : createHttpServer(onRequest);
  server.keepAliveTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const endpointHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const endpoint = `${scheme}://${endpointHost}:${port}`;

  const restContext = { accessKey, endpoint, scheme, hub, removeConnection, log, counters, nowMs } as const;
  const endpointContext = {
    accessKey,
    endpoint,
    scheme,
    wss,
    hub,
    openSession,
    socketClosed,
    messageContext: (h: Hub) => ({ hub: h, log, onClientEvent: opts.onClientEvent }),
    log,
    counters,
    nowMs,
  } as const;

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.setNoDelay(true);
    handleClientUpgrade(req, socket, head, endpointContext);
  });
  server.on('clientError', (e: Error, socket: Socket) => {
    log('debug', `web-pubsub: client error: ${e.message}`);
    socket.destroy();
  });
  log('info', `web-pubsub: emulator listening on ${endpoint}`);

  let browserServer: Server | undefined;
  let browserClientOrigin: string | undefined;
  if (opts.browserPort !== undefined) {
    const plain = createHttpServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'NotFound', message: 'this port only accepts client websockets' }));
    });
    plain.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      socket.setNoDelay(true);
      handleClientUpgrade(req, socket, head, endpointContext);
    });
    plain.on('clientError', (_e: Error, socket: Socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      plain.once('error', reject);
      plain.listen(opts.browserPort, '127.0.0.1', () => {
        plain.off('error', reject);
        resolve();
      });
    });
    browserServer = plain;
    browserClientOrigin = `ws://localhost:${(plain.address() as AddressInfo).port}`;
    log('info', `web-pubsub: browser client websockets on ${browserClientOrigin}`);
  }

  let stopped = false;
  return {
    endpoint,
    connectionString: `Endpoint=${endpoint};AccessKey=${accessKey};Port=${port};Version=1.0;`,
    accessKey,
    port,
    browserClientOrigin,
    stats: () => {
      let connections = 0;
      let groups = 0;
      for (const h of hubs.values()) {
        connections += h.connections.size;
        groups += h.groupCount;
      }
      return { hubs: hubs.size, connections, groups, ...counters };
    },
    dropConnection: (connectionId) => {
      for (const h of hubs.values()) {
        const connection = h.connections.get(connectionId);
        if (connection?.isAttached) {
          connection.dropSocket();
          socketClosed(connection, true);
          return true;
        }
      }
      return false;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const h of hubs.values()) {
        for (const c of [...h.connections.values()]) {
          clearTimeout(c.recoveryTimer);
          h.remove(c);
          c.closeSocket(1001, 'emulator stopping');
        }
      }
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (browserServer) {
        const plain = browserServer;
        await new Promise<void>((resolve) => {
          plain.close(() => resolve());
          plain.closeAllConnections();
        });
      }
      log('info', 'web-pubsub: emulator stopped');
    },
  };
}
