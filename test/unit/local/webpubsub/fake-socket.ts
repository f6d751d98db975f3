/** A stand-in for a ws WebSocket and its net.Socket, recording what the emulator writes. */
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
    raw: { cork: () => undefined, uncork: () => undefined } as unknown as Socket,
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
  return Object.assign(state, { ws: ws as unknown as WebSocket });
}
