/**
 * Wire frames for data messages, serialized once per message and subprotocol variant so fan-out
 * to N connections costs no per-connection JSON work:
 * - `json.webpubsub.azure.v1`: one shared websocket frame for every connection.
 * - `json.reliable.webpubsub.azure.v1`: a shared suffix; each connection's frame is the header,
 *   `{"sequenceId":<n>` (its own sequence number) and that suffix, in one buffer.
 * - no subprotocol (simple websocket): the payload itself, as one shared text or binary frame.
 */
import { appError, err, ok, type Result } from '../../shared/core/result.js';
import { encodeFrame, frameHeaderLength, OPCODE_BINARY, OPCODE_TEXT, writeFrameHeader } from './websocket-frame.js';

export type DataType = 'json' | 'text' | 'binary';

export interface MessagePayload {
  readonly dataType: DataType;
  /** JSON text of the frame's `data` member (the JSON itself, a JSON string, or base64 in a JSON string). */
  readonly dataJson: string;
  /** What a simple websocket client receives. */
  readonly raw: Buffer;
}

export type MessageSource = { readonly from: 'server' } | { readonly from: 'group'; readonly group: string; readonly fromUserId?: string | undefined };

const RELIABLE_PREFIX = Buffer.from('{"sequenceId":');

/** Payload of a REST send, by the Content-Type the server SDK sets. */
export function payloadFromRest(contentType: string | undefined, body: Buffer): Result<MessagePayload> {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/json') {
    const text = body.toString('utf8');
    try {
      JSON.parse(text);
    } catch {
      return err(appError('WPS.INVALID_JSON', 'body is not valid JSON though Content-Type is application/json'));
    }
    return ok({ dataType: 'json', dataJson: text, raw: body });
  }
  if (mediaType === 'text/plain') {
    const text = body.toString('utf8');
    return ok({ dataType: 'text', dataJson: JSON.stringify(text), raw: body });
  }
  if (mediaType === 'application/octet-stream') {
    return ok({ dataType: 'binary', dataJson: JSON.stringify(body.toString('base64')), raw: body });
  }
  return err(appError('WPS.CONTENT_TYPE', `Content-Type must be application/json, text/plain or application/octet-stream, got ${contentType ?? 'none'}`));
}

/** Payload of a client `sendToGroup` / `event` request (`data` already parsed from the client frame). */
export function payloadFromClient(dataType: string, data: unknown): Result<MessagePayload> {
  if (dataType === 'json') {
    const dataJson = JSON.stringify(data);
    if (dataJson === undefined) return err(appError('WPS.INVALID_DATA', 'json data is missing'));
    return ok({ dataType: 'json', dataJson, raw: Buffer.from(dataJson) });
  }
  if (dataType === 'text') {
    if (typeof data !== 'string') return err(appError('WPS.INVALID_DATA', 'text data must be a string'));
    return ok({ dataType: 'text', dataJson: JSON.stringify(data), raw: Buffer.from(data) });
  }
  if (dataType === 'binary' || dataType === 'protobuf') {
    if (typeof data !== 'string') return err(appError('WPS.INVALID_DATA', `${dataType} data must be a base64 string`));
    return ok({ dataType: 'binary', dataJson: JSON.stringify(data), raw: Buffer.from(data, 'base64') });
  }
  return err(appError('WPS.INVALID_DATA', `unknown dataType ${dataType}`));
}

/**
 * One data message ready to fan out; variants are built on first use and then shared. The `...Wire`
 * methods return complete websocket frames (header included) for writing straight to sockets.
 */
export class OutboundMessage {
  private plainPayload: Buffer | undefined;
  private plainFrame: Buffer | undefined;
  private rawFrame: Buffer | undefined;
  private reliableSuffix: Buffer | undefined;

  constructor(
    readonly source: MessageSource,
    readonly payload: MessagePayload,
  ) {}

  /** Payload for `json.webpubsub.azure.v1`. */
  plain(): Buffer {
    this.plainPayload ??= Buffer.from(`{${this.body()}}`);
    return this.plainPayload;
  }

  /** Websocket frame for `json.webpubsub.azure.v1`, the same bytes for every connection. */
  plainWire(): Buffer {
    this.plainFrame ??= encodeFrame(this.plain(), OPCODE_TEXT);
    return this.plainFrame;
  }

  /** Websocket frame for a simple (no subprotocol) client. */
  rawWire(): Buffer {
    this.rawFrame ??= encodeFrame(this.payload.raw, this.rawIsBinary ? OPCODE_BINARY : OPCODE_TEXT);
    return this.rawFrame;
  }

  /** Payload for `json.reliable.webpubsub.azure.v1` carrying this connection's sequence id. */
  reliable(sequenceId: number): Buffer {
    return this.reliableWire(sequenceId).subarray(frameHeaderLength(this.reliablePayloadLength(String(sequenceId))));
  }

  /** Websocket frame for the reliable subprotocol: one allocation and two copies per connection. */
  reliableWire(sequenceId: number): Buffer {
    const seq = String(sequenceId);
    const payloadLength = this.reliablePayloadLength(seq);
    const frame = Buffer.allocUnsafe(frameHeaderLength(payloadLength) + payloadLength);
    let at = writeFrameHeader(frame, 0, OPCODE_TEXT, payloadLength);
    at += RELIABLE_PREFIX.copy(frame, at);
    at += frame.write(seq, at, 'latin1');
    this.reliableSuffix!.copy(frame, at);
    return frame;
  }

  private reliablePayloadLength(seq: string): number {
    const suffix = (this.reliableSuffix ??= Buffer.from(`,${this.body()}}`));
    return RELIABLE_PREFIX.length + seq.length + suffix.length;
  }

  /** True when a simple websocket client gets a binary frame. */
  get rawIsBinary(): boolean {
    return this.payload.dataType === 'binary';
  }

  private body(): string {
    const { source, payload } = this;
    const from =
      source.from === 'group'
        ? `"from":"group","group":${JSON.stringify(source.group)}${source.fromUserId !== undefined ? `,"fromUserId":${JSON.stringify(source.fromUserId)}` : ''}`
        : '"from":"server"';
    return `"type":"message",${from},"dataType":"${payload.dataType}","data":${payload.dataJson}`;
  }
}

export const systemConnectedFrame = (userId: string | undefined, connectionId: string, reconnectionToken: string | undefined): string =>
  JSON.stringify({
    type: 'system',
    event: 'connected',
    ...(userId !== undefined ? { userId } : {}),
    connectionId,
    ...(reconnectionToken ? { reconnectionToken } : {}),
  });

export const systemDisconnectedFrame = (message: string): string => JSON.stringify({ type: 'system', event: 'disconnected', message });

export type AckErrorName = 'Forbidden' | 'InternalServerError' | 'Duplicate' | 'BadRequest';

export const ackFrame = (ackId: number, error?: { name: AckErrorName; message: string }): string =>
  error ? JSON.stringify({ type: 'ack', ackId, success: false, error }) : `{"type":"ack","ackId":${ackId},"success":true}`;

export const PONG_FRAME = '{"type":"pong"}';
