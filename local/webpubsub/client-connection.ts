/**
 * One client connection (a service-side session): identity, groups, permissions, and delivery.
 * On the reliable subprotocol the session outlives its websocket: data frames get per-connection
 * sequence ids and stay buffered until the client's `sequenceAck`, so a client that reconnects
 * with `awps_connection_id` + `awps_reconnection_token` gets every frame it has not acknowledged.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { ClientPermissions } from './client-permissions.js';
import { systemDisconnectedFrame, type OutboundMessage } from './message-frames.js';

export const SUBPROTOCOL_JSON = 'json.webpubsub.azure.v1';
export const SUBPROTOCOL_JSON_RELIABLE = 'json.reliable.webpubsub.azure.v1';
export type ClientProtocol = typeof SUBPROTOCOL_JSON | typeof SUBPROTOCOL_JSON_RELIABLE | 'simple';

/** Close code the service uses when the session is gone: the client SDK then stops recovering. */
export const CLOSE_SESSION_REMOVED = 1008;

const REMEMBERED_ACK_IDS = 1024;

export interface DeliveryCounters {
  framesSent: number;
  bytesSent: number;
}

export interface ConnectionLimits {
  /** Unacknowledged reliable frames kept per connection before the session is dropped. */
  readonly maxUnackedFrames: number;
  /** Bytes queued on one websocket before the connection counts as too slow and is closed. */
  readonly maxBufferedBytes: number;
}

export class ClientConnection {
  readonly connectionId = randomBytes(16).toString('base64url');
  readonly reconnectionToken: string | undefined;
  readonly groups = new Set<string>();
  /** Set when the session ended for good; the hub has forgotten it. */
  removed = false;
  /** Pending end of a reliable session whose websocket dropped, cancelled by recovery. */
  recoveryTimer: NodeJS.Timeout | undefined;

  private socket: WebSocket | undefined;
  private rawSocket: Socket | undefined;
  private corked = false;
  private lastSequenceId = 0;
  private ackedSequenceId = 0;
  private readonly unackedIds: number[] = [];
  private readonly unackedFrames: Buffer[] = [];
  private unackedHead = 0;
  private readonly processedAckIds = new Set<number>();
  private readonly processedAckOrder: number[] = [];

  constructor(
    readonly hub: string,
    readonly userId: string | undefined,
    readonly protocol: ClientProtocol,
    readonly permissions: ClientPermissions,
    private readonly limits: ConnectionLimits,
    private readonly counters: DeliveryCounters,
    /** Called when delivery finds the connection unusable (slow consumer, reliable buffer full). */
    private readonly onOverflow: (connection: ClientConnection, reason: string) => void,
    private readonly corkWrites: boolean,
  ) {
    this.reconnectionToken = protocol === SUBPROTOCOL_JSON_RELIABLE ? randomBytes(24).toString('base64url') : undefined;
  }

  get isReliable(): boolean {
    return this.protocol === SUBPROTOCOL_JSON_RELIABLE;
  }

  get isAttached(): boolean {
    return this.socket !== undefined;
  }

  get unackedCount(): number {
    return this.unackedIds.length - this.unackedHead;
  }

  isCurrent(socket: WebSocket): boolean {
    return this.socket === socket;
  }

  /** Binds a (new) websocket. */
  attach(socket: WebSocket, rawSocket: Socket): void {
    clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
    this.socket = socket;
    this.rawSocket = rawSocket;
  }

  /** After recovery: resends every unacknowledged frame in order; returns how many. */
  resendUnacked(): number {
    let resent = 0;
    for (let i = this.unackedHead; i < this.unackedFrames.length; i++) {
      this.write(this.unackedFrames[i]!);
      resent++;
    }
    return resent;
  }

  detach(socket: WebSocket): void {
    if (this.socket === socket) {
      this.socket = undefined;
      this.rawSocket = undefined;
      this.corked = false;
    }
  }

  matchesReconnectionToken(token: string): boolean {
    if (!this.reconnectionToken) return false;
    const a = Buffer.from(this.reconnectionToken);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  deliver(message: OutboundMessage): void {
    if (this.removed) return;
    if (this.protocol === SUBPROTOCOL_JSON_RELIABLE) {
      const sequenceId = ++this.lastSequenceId;
      const frame = message.reliableWire(sequenceId);
      this.unackedIds.push(sequenceId);
      this.unackedFrames.push(frame);
      if (this.unackedCount > this.limits.maxUnackedFrames) {
        this.onOverflow(this, `more than ${this.limits.maxUnackedFrames} frames without sequenceAck`);
        return;
      }
      if (this.socket) this.write(frame);
    } else if (this.protocol === SUBPROTOCOL_JSON) {
      if (this.socket) this.write(message.plainWire());
    } else if (this.socket) {
      this.write(message.rawWire());
    }
  }

  /** Sends a small control frame (ack, pong, system); never buffered for recovery. */
  sendControl(frame: string): void {
    if (this.socket && this.socket.readyState === this.socket.OPEN) {
      this.counters.framesSent++;
      this.counters.bytesSent += frame.length;
      this.socket.send(frame);
    }
  }

  acknowledge(sequenceId: number): void {
    if (sequenceId <= this.ackedSequenceId) return;
    this.ackedSequenceId = Math.min(sequenceId, this.lastSequenceId);
    while (this.unackedHead < this.unackedIds.length && this.unackedIds[this.unackedHead]! <= this.ackedSequenceId) {
      this.unackedFrames[this.unackedHead] = EMPTY;
      this.unackedHead++;
    }
    if (this.unackedHead > 1024 && this.unackedHead * 2 > this.unackedIds.length) {
      this.unackedIds.splice(0, this.unackedHead);
      this.unackedFrames.splice(0, this.unackedHead);
      this.unackedHead = 0;
    }
  }

  /** Ack ids of requests that succeeded, so a resent request is answered `Duplicate`. */
  wasProcessed(ackId: number): boolean {
    return this.processedAckIds.has(ackId);
  }

  rememberProcessed(ackId: number): void {
    if (this.processedAckIds.has(ackId)) return;
    this.processedAckIds.add(ackId);
    this.processedAckOrder.push(ackId);
    if (this.processedAckOrder.length > REMEMBERED_ACK_IDS) this.processedAckIds.delete(this.processedAckOrder.shift()!);
  }

  /** Tells a subprotocol client why, then closes its websocket with `code`. */
  closeSocket(code: number, reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    if (this.protocol !== 'simple') this.sendControl(systemDisconnectedFrame(reason));
    // Close reasons are limited to 123 bytes by the websocket protocol.
    socket.close(code, Buffer.from(reason).subarray(0, 123).toString());
    this.detach(socket);
  }

  /** Cuts the TCP connection without a close handshake, as a network failure would. */
  dropSocket(): void {
    const socket = this.socket;
    if (!socket) return;
    this.detach(socket);
    socket.terminate();
  }

  /**
   * Writes a complete data frame straight to the TCP/TLS socket, so one frame built once can go to
   * many connections without ws re-framing it. Safe because ws sends synchronously when there is
   * no permessage-deflate (disabled here): its control frames and these never interleave mid-frame.
   */
  private write(frame: Buffer): void {
    const socket = this.socket!;
    const raw = this.rawSocket;
    if (socket.readyState !== socket.OPEN || !raw) return;
    if (socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.onOverflow(this, `more than ${this.limits.maxBufferedBytes} bytes waiting to be sent`);
      return;
    }
    if (this.corkWrites && !this.corked) {
      // Frames sent to this connection within one event-loop turn leave in one write (one TLS record batch).
      this.corked = true;
      raw.cork();
      setImmediate(() => {
        this.corked = false;
        raw.uncork();
      });
    }
    this.counters.framesSent++;
    this.counters.bytesSent += frame.length;
    raw.write(frame);
  }
}

const EMPTY = Buffer.alloc(0);
