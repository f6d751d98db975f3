/**
 * Requests a subprotocol client sends (`json.webpubsub.azure.v1` and the reliable variant):
 * joinGroup, leaveGroup, sendToGroup, event, sequenceAck, ping, invoke. Requests with an `ackId`
 * get an ack; one the token's roles do not allow is refused with `Forbidden` and changes nothing.
 */
import { z } from 'zod';
import type { ClientConnection } from './client-connection.js';
import type { Hub } from './hub.js';
import { ackFrame, OutboundMessage, payloadFromClient, PONG_FRAME, type AckErrorName, type MessagePayload } from './message-frames.js';

const ackId = z.number().int().nonnegative();
const dataType = z.enum(['json', 'text', 'binary', 'protobuf']);
const sequenceId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

const clientRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('joinGroup'), group: z.string().min(1), ackId: ackId.optional() }),
  z.object({ type: z.literal('leaveGroup'), group: z.string().min(1), ackId: ackId.optional() }),
  z.object({
    type: z.literal('sendToGroup'),
    group: z.string().min(1),
    ackId: ackId.optional(),
    noEcho: z.boolean().optional(),
    dataType,
    data: z.unknown(),
  }),
  z.object({ type: z.literal('event'), event: z.string().min(1), ackId: ackId.optional(), dataType, data: z.unknown() }),
  z.object({ type: z.literal('sequenceAck'), sequenceId }),
  z.object({ type: z.literal('ping') }),
  z.object({ type: z.literal('invoke'), invocationId: z.string() }),
  z.object({ type: z.literal('cancelInvocation'), invocationId: z.string() }),
]);

export type ClientRequest = z.infer<typeof clientRequestSchema>;

export interface ClientEvent {
  readonly hub: string;
  readonly connectionId: string;
  readonly userId: string | undefined;
  readonly event: string;
  readonly payload: MessagePayload;
}

export interface ClientMessageContext {
  readonly hub: Hub;
  readonly log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** The service would call the upstream event handler; locally a hook (acked either way). */
  readonly onClientEvent?: ((event: ClientEvent) => void) | undefined;
}

/** Handles one text frame from a subprotocol client. */
export function handleClientFrame(connection: ClientConnection, text: string, context: ClientMessageContext): void {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    context.log('warn', `web-pubsub: connection ${connection.connectionId} sent a frame that is not JSON`);
    return;
  }
  const parsed = clientRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const rawAckId = typeof raw === 'object' && raw !== null ? (raw as { ackId?: unknown }).ackId : undefined;
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'frame'}: ${i.message}`).join('; ');
    if (typeof rawAckId === 'number') connection.sendControl(ackFrame(rawAckId, { name: 'BadRequest', message: issues }));
    context.log('debug', `web-pubsub: connection ${connection.connectionId} sent an invalid request: ${issues}`);
    return;
  }
  handleRequest(connection, parsed.data, context);
}

function handleRequest(connection: ClientConnection, request: ClientRequest, context: ClientMessageContext): void {
  const { hub } = context;
  switch (request.type) {
    case 'sequenceAck':
      connection.acknowledge(request.sequenceId);
      return;
    case 'ping':
      connection.sendControl(PONG_FRAME);
      return;
    case 'invoke':
      connection.sendControl(
        JSON.stringify({
          type: 'invokeResponse',
          invocationId: request.invocationId,
          success: false,
          error: { name: 'NotSupported', message: 'the local emulator has no upstream event handler to invoke' },
        }),
      );
      return;
    case 'cancelInvocation':
      return;
    case 'joinGroup':
    case 'leaveGroup':
      withAck(connection, request.ackId, () => {
        if (!connection.permissions.allows('joinLeaveGroup', request.group)) {
          return forbidden(`no permission to ${request.type === 'joinGroup' ? 'join' : 'leave'} group ${request.group}`);
        }
        if (request.type === 'joinGroup') hub.join(connection, request.group);
        else hub.leave(connection, request.group);
        return undefined;
      });
      return;
    case 'sendToGroup':
      withAck(connection, request.ackId, () => {
        if (!connection.permissions.allows('sendToGroup', request.group)) return forbidden(`no permission to send to group ${request.group}`);
        const payload = payloadFromClient(request.dataType, request.data);
        if (!payload.ok) return { name: 'BadRequest', message: payload.error.message };
        const message = new OutboundMessage({ from: 'group', group: request.group, fromUserId: connection.userId }, payload.value);
        const excluded = request.noEcho ? new Set([connection.connectionId]) : undefined;
        hub.sendToGroup(request.group, message, { excluded });
        return undefined;
      });
      return;
    case 'event':
      withAck(connection, request.ackId, () => {
        const payload = payloadFromClient(request.dataType, request.data);
        if (!payload.ok) return { name: 'BadRequest', message: payload.error.message };
        context.onClientEvent?.({ hub: hub.name, connectionId: connection.connectionId, userId: connection.userId, event: request.event, payload: payload.value });
        return undefined;
      });
      return;
  }
}

type AckError = { name: AckErrorName; message: string };

const forbidden = (message: string): AckError => ({ name: 'Forbidden', message });

/** Runs `action` once per ack id: a resent, already processed request is answered `Duplicate`. */
function withAck(connection: ClientConnection, id: number | undefined, action: () => AckError | undefined): void {
  if (id !== undefined && connection.wasProcessed(id)) {
    connection.sendControl(ackFrame(id, { name: 'Duplicate', message: `Message with ack-id: ${id} has been processed` }));
    return;
  }
  const error = action();
  if (id === undefined) return;
  if (!error) connection.rememberProcessed(id);
  connection.sendControl(ackFrame(id, error));
}
