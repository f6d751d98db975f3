/**
 * Wire frames for data messages, serialized once per message and subprotocol variant so fan-out
 * to N connections costs no per-connection JSON work:
 * - `json.webpubsub.azure.v1`: one shared Buffer for every connection.
 * - `json.reliable.webpubsub.azure.v1`: a shared suffix; each connection only prepends
 *   `{"sequenceId":<n>` (its own sequence number) by one small copy.
 * - no subprotocol (simple websocket): the payload itself, as a text or binary frame.
 */
import { appError, err, ok, type Result } from '../../shared/core/result.js';

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

/** One data message ready to fan out; variants are built on first use and then shared. */
export class OutboundMessage {
  private plainFrame: Buffer | undefined;
  private reliableSuffix: Buffer | undefined;

  constructor(
    readonly source: MessageSource,
    readonly payload: MessagePayload,
  ) {}

  /** Frame for `json.webpubsub.azure.v1`. */
  plain(): Buffer {
    this.plainFrame ??= Buffer.from(`{${this.body()}}`);
    return this.plainFrame;
  }

  /** Frame for `json.reliable.webpubsub.azure.v1` carrying this connection's sequence id. */
  reliable(sequenceId: number): Buffer {
    const suffix = (this.reliableSuffix ??= Buffer.from(`,${this.body()}}`));
    const seq = String(sequenceId);
    const frame = Buffer.allocUnsafe(RELIABLE_PREFIX.length + seq.length + suffix.length);
    RELIABLE_PREFIX.copy(frame, 0);
    frame.write(seq, RELIABLE_PREFIX.length, 'latin1');
    suffix.copy(frame, RELIABLE_PREFIX.length + seq.length);
    return frame;
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
