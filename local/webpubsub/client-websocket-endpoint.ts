/**
 * The client websocket endpoint `/client/hubs/{hub}?access_token=<jwt>`: verifies the token like
 * the service (401 on the upgrade when it fails), picks the subprotocol, opens a session, sends the
 * `connected` system message, and handles recovery of reliable sessions
 * (`awps_connection_id` + `awps_reconnection_token`; an unknown or ended session is closed with 1008).
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';
import { verifyClientAccessToken, type ClientIdentity } from './access-token-verifier.js';
import { CLOSE_SESSION_REMOVED, SUBPROTOCOL_JSON, SUBPROTOCOL_JSON_RELIABLE, type ClientConnection, type ClientProtocol } from './client-connection.js';
import { handleClientFrame, type ClientMessageContext } from './client-message-handler.js';
import type { Hub } from './hub.js';
import { systemConnectedFrame } from './message-frames.js';

export interface ClientEndpointContext {
  readonly accessKey: string;
  /** `https://host:port` the emulator advertises (no trailing slash). */
  readonly endpoint: string;
  readonly scheme: 'http' | 'https';
  readonly wss: WebSocketServer;
  readonly hub: (name: string) => Hub;
  readonly openSession: (hub: Hub, identity: ClientIdentity, protocol: ClientProtocol) => ClientConnection;
  /** The websocket of a session closed: end the session, or keep a reliable one for recovery. */
  readonly socketClosed: (connection: ClientConnection, abnormal: boolean) => void;
  readonly messageContext: (hub: Hub) => ClientMessageContext;
  readonly log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  readonly counters: { connectsRejected: number; clientFramesIn: number; reliableResent: number };
  readonly nowMs: () => number;
}

const CLIENT_PATH = /^\/client\/hubs\/([^/]+)\/?$/;
const HUB_NAME = /^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/;

/** The subprotocol the emulator picks for an offered list; undefined when none is supported. */
export function chooseSubprotocol(offered: string | undefined): ClientProtocol | undefined {
  if (offered === undefined || offered.trim() === '') return 'simple';
  const list = offered.split(',').map((p) => p.trim());
  for (const p of list) if (p === SUBPROTOCOL_JSON_RELIABLE || p === SUBPROTOCOL_JSON) return p;
  return undefined;
}

export function handleClientUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, ctx: ClientEndpointContext): void {
  const url = new URL(req.url ?? '/', `${ctx.scheme}://${req.headers.host ?? 'localhost'}`);
  const match = CLIENT_PATH.exec(url.pathname);
  const hubName = match ? safeDecode(match[1]!) : undefined;
  if (!hubName || !HUB_NAME.test(hubName)) return reject(socket, 404, 'Not Found', `no websocket endpoint at ${url.pathname}`, ctx);
  const protocol = chooseSubprotocol(req.headers['sec-websocket-protocol']);
  if (!protocol) {
    return reject(socket, 400, 'Bad Request', `unsupported subprotocol ${req.headers['sec-websocket-protocol']}; use ${SUBPROTOCOL_JSON_RELIABLE} or ${SUBPROTOCOL_JSON}`, ctx);
  }
  const hub = ctx.hub(hubName);
  const recoverId = url.searchParams.get('awps_connection_id');
  const recoverToken = url.searchParams.get('awps_reconnection_token');
  if (recoverId !== null && recoverToken !== null) return recover(req, socket, head, hub, recoverId, recoverToken, ctx);

  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  const token = url.searchParams.get('access_token') ?? bearer?.[1];
  const clientPath = `/client/hubs/${hubName}`;
  const audiences = [`${ctx.endpoint}${clientPath}`, `${ctx.scheme}://${req.headers.host ?? ''}${clientPath}`];
  const identity = verifyClientAccessToken(token, audiences, ctx.accessKey, ctx.nowMs());
  if (!identity.ok) return reject(socket, 401, 'Unauthorized', identity.error.message, ctx);

  ctx.wss.handleUpgrade(req, socket, head, (ws) => {
    const connection = ctx.openSession(hub, identity.value, protocol);
    ctx.log('debug', `web-pubsub: ${hub.name}: connected ${connection.connectionId} user=${connection.userId ?? '-'} ${protocol}`);
    bind(ws, socket, connection, hub, ctx);
    if (protocol !== 'simple') connection.sendControl(systemConnectedFrame(connection.userId, connection.connectionId, connection.reconnectionToken));
  });
}

function recover(req: IncomingMessage, socket: Socket, head: Buffer, hub: Hub, connectionId: string, token: string, ctx: ClientEndpointContext): void {
  ctx.wss.handleUpgrade(req, socket, head, (ws) => {
    const connection = hub.connections.get(connectionId);
    if (!connection || !connection.isReliable || !connection.matchesReconnectionToken(token)) {
      ctx.log('debug', `web-pubsub: ${hub.name}: recovery of ${connectionId} refused (session unknown or ended)`);
      ws.close(CLOSE_SESSION_REMOVED, 'connection session not found');
      return;
    }
    // A client may recover before the emulator noticed the old socket died: replace it.
    connection.dropSocket();
    const resent = bind(ws, socket, connection, hub, ctx, true);
    ctx.counters.reliableResent += resent;
    ctx.log('debug', `web-pubsub: ${hub.name}: recovered ${connectionId}, resent ${resent} unacknowledged frames`);
  });
}

function bind(ws: WebSocket, socket: Socket, connection: ClientConnection, hub: Hub, ctx: ClientEndpointContext, recovering = false): number {
  const messageContext = ctx.messageContext(hub);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    ctx.counters.clientFramesIn++;
    if (connection.protocol === 'simple') return; // would go to an upstream handler; none locally
    if (isBinary) {
      ctx.log('debug', `web-pubsub: ${connection.connectionId} sent a binary frame on a JSON subprotocol; ignored`);
      return;
    }
    handleClientFrame(connection, data.toString('utf8'), messageContext);
  });
  ws.on('close', (code: number) => {
    // Only the session's current socket decides; a socket replaced by recovery or closed by the server does not.
    if (!connection.isCurrent(ws)) return;
    connection.detach(ws);
    ctx.socketClosed(connection, code === 1006);
  });
  ws.on('error', (e: Error) => ctx.log('debug', `web-pubsub: socket error on ${connection.connectionId}: ${e.message}`));
  connection.attach(ws, socket);
  if (!recovering) return 0;
  connection.sendControl(systemConnectedFrame(connection.userId, connection.connectionId, connection.reconnectionToken));
  return connection.resendUnacked();
}

function reject(socket: Socket, status: number, statusText: string, message: string, ctx: ClientEndpointContext): void {
  ctx.counters.connectsRejected++;
  ctx.log('warn', `web-pubsub: websocket connect refused (${status}): ${message}`);
  const body = JSON.stringify({ code: statusText.replace(/\s/g, ''), message });
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
