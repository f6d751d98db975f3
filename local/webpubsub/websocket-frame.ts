/**
 * Server-to-client websocket frames (RFC 6455: unmasked, FIN set, no extensions) built once so
 * fan-out can write the same bytes to many sockets. Used only for data frames; everything else
 * goes through the ws API.
 */
export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;

export function frameHeaderLength(payloadLength: number): number {
  return payloadLength < 126 ? 2 : payloadLength < 65_536 ? 4 : 10;
}

/** Writes the header at `offset`; returns the header length. */
export function writeFrameHeader(target: Buffer, offset: number, opcode: number, payloadLength: number): number {
  target[offset] = 0x80 | opcode;
  if (payloadLength < 126) {
    target[offset + 1] = payloadLength;
    return 2;
  }
  if (payloadLength < 65_536) {
    target[offset + 1] = 126;
    target.writeUInt16BE(payloadLength, offset + 2);
    return 4;
  }
  target[offset + 1] = 127;
  target.writeBigUInt64BE(BigInt(payloadLength), offset + 2);
  return 10;
}

/** A complete frame around `payload`. */
export function encodeFrame(payload: Buffer, opcode: number): Buffer {
  const frame = Buffer.allocUnsafe(frameHeaderLength(payload.length) + payload.length);
  const header = writeFrameHeader(frame, 0, opcode, payload.length);
  payload.copy(frame, header);
  return frame;
}
