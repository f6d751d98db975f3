import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { encodeFrame, frameHeaderLength, OPCODE_BINARY, OPCODE_TEXT } from '../../../../local/webpubsub/websocket-frame';

describe('websocket frames', () => {
  it('uses 2, 4 and 10 byte headers by payload length', () => {
    expect([0, 125, 126, 65_535, 65_536].map(frameHeaderLength)).toEqual([2, 2, 4, 4, 10]);
    expect([...encodeFrame(Buffer.from('hi'), OPCODE_TEXT)]).toEqual([0x81, 2, 0x68, 0x69]);
    expect([...encodeFrame(Buffer.alloc(300), OPCODE_BINARY).subarray(0, 4)]).toEqual([0x82, 126, 1, 44]);
  });

  it('produces frames a ws client decodes, for every header size and both opcodes', async () => {
    let serverSocket: Socket | undefined;
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    wss.on('connection', (_ws, req) => (serverSocket = req.socket));
    await new Promise((r) => wss.once('listening', r));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    const received: { size: number; binary: boolean; ok: boolean }[] = [];
    const payloads = [Buffer.from('x'.repeat(10)), Buffer.from('y'.repeat(1000)), Buffer.alloc(70_000, 7)];
    const done = new Promise<void>((resolve) =>
      client.on('message', (data: Buffer, binary: boolean) => {
        const expected = payloads[received.length]!;
        received.push({ size: data.length, binary, ok: data.equals(expected) });
        if (received.length === payloads.length) resolve();
      }),
    );
    await new Promise((r) => client.once('open', r));
    try {
      payloads.forEach((p, i) => serverSocket!.write(encodeFrame(p, i === 2 ? OPCODE_BINARY : OPCODE_TEXT)));
      await done;
      expect(received).toEqual([
        { size: 10, binary: false, ok: true },
        { size: 1000, binary: false, ok: true },
        { size: 70_000, binary: true, ok: true },
      ]);
    } finally {
      client.close();
      await new Promise((r) => wss.close(r));
    }
  });
});
