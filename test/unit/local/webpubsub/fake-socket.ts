/** A stand-in for a ws WebSocket and its net.Socket, recording the payloads the emulator writes to either. */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

export interface FakeSocket {
  readonly ws: WebSocket;
  readonly raw: Socket;
  readonly sent: string[];
  bufferedAmount: number;
  closed: { code: number; reason: string } | undefined;
  terminated: boolean;
}

export function fakeSocket(): FakeSocket {
  const state: FakeSocket = {
    sent: [],
    bufferedAmount: 0,
    closed: undefined,
    terminated: false,
    ws: undefined as unknown as WebSocket,
    raw: undefined as unknown as Socket,
  };
  // Data frames arrive pre-framed on the raw socket: unwrap the websocket header.
  const raw = {
    cork: () => undefined,
    uncork: () => undefined,
    write: (frame: Buffer) => {
      const len7 = frame[1]! & 0x7f;
      state.sent.push(frame.subarray(len7 === 126 ? 4 : len7 === 127 ? 10 : 2).toString());
    },
  };
  const ws = {
    OPEN: 1,
    get readyState() {
      return state.closed || state.terminated ? 3 : 1;
    },
    get bufferedAmount() {
      return state.bufferedAmount;
    },
    send: (data: Buffer | string) => state.sent.push(Buffer.isBuffer(data) ? data.toString() : data),
    close: (code: number, reason: string) => (state.closed = { code, reason }),
    terminate: () => (state.terminated = true),
  };
  return Object.assign(state, { ws: ws as unknown as WebSocket, raw: raw as unknown as Socket });
}
