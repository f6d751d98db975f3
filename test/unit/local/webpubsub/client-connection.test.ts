import { ClientConnection, SUBPROTOCOL_JSON, SUBPROTOCOL_JSON_RELIABLE, type ClientProtocol } from '../../../../local/webpubsub/client-connection';
import { ClientPermissions } from '../../../../local/webpubsub/client-permissions';
import { OutboundMessage, payloadFromRest } from '../../../../local/webpubsub/message-frames';
import { fakeSocket } from './fake-socket';

const message = (n: number): OutboundMessage => {
  const payload = payloadFromRest('application/json', Buffer.from(JSON.stringify({ n })));
  if (!payload.ok) throw new Error(payload.error.message);
  return new OutboundMessage({ from: 'server' }, payload.value);
};

function connection(protocol: ClientProtocol, limits = { maxUnackedFrames: 100, maxBufferedBytes: 1_000_000 }) {
  const overflows: string[] = [];
  const counters = { framesSent: 0, bytesSent: 0 };
  const c = new ClientConnection('hub', 'u', protocol, ClientPermissions.fromRoles([]), limits, counters, (_c, reason) => overflows.push(reason), false);
  return { c, overflows, counters };
}

const parsed = (frames: string[]) => frames.map((f) => JSON.parse(f) as { sequenceId?: number; data?: { n: number } });

describe('ClientConnection', () => {
  it('numbers reliable frames per connection and resends the unacknowledged ones after recovery', () => {
    const { c } = connection(SUBPROTOCOL_JSON_RELIABLE);
    const first = fakeSocket();
    c.attach(first.ws, first.raw);
    for (let n = 1; n <= 3; n++) c.deliver(message(n));
    expect(parsed(first.sent).map((f) => f.sequenceId)).toEqual([1, 2, 3]);
    c.acknowledge(2);
    expect(c.unackedCount).toBe(1);

    c.detach(first.ws);
    c.deliver(message(4));
    const second = fakeSocket();
    c.attach(second.ws, second.raw);
    expect(c.resendUnacked()).toBe(2);
    expect(parsed(second.sent).map((f) => [f.sequenceId, f.data?.n])).toEqual([
      [3, 3],
      [4, 4],
    ]);
  });

  it('ignores stale and future sequence acks beyond what was sent', () => {
    const { c } = connection(SUBPROTOCOL_JSON_RELIABLE);
    const s = fakeSocket();
    c.attach(s.ws, s.raw);
    c.deliver(message(1));
    c.deliver(message(2));
    c.acknowledge(99);
    expect(c.unackedCount).toBe(0);
    c.acknowledge(1);
    c.deliver(message(3));
    expect(c.unackedCount).toBe(1);
  });

  it('reports overflow when a reliable client does not acknowledge', () => {
    const { c, overflows } = connection(SUBPROTOCOL_JSON_RELIABLE, { maxUnackedFrames: 2, maxBufferedBytes: 1_000_000 });
    const s = fakeSocket();
    c.attach(s.ws, s.raw);
    c.deliver(message(1));
    c.deliver(message(2));
    expect(overflows).toEqual([]);
    c.deliver(message(3));
    expect(overflows).toHaveLength(1);
  });

  it('reports overflow when too many bytes wait on the socket', () => {
    const { c, overflows } = connection(SUBPROTOCOL_JSON, { maxUnackedFrames: 10, maxBufferedBytes: 100 });
    const s = fakeSocket();
    c.attach(s.ws, s.raw);
    c.deliver(message(1));
    s.bufferedAmount = 101;
    c.deliver(message(2));
    expect(s.sent).toHaveLength(1);
    expect(overflows).toHaveLength(1);
  });

  it('sends the shared plain frame without sequence ids on json.webpubsub.azure.v1 and keeps nothing', () => {
    const { c, counters } = connection(SUBPROTOCOL_JSON);
    const s = fakeSocket();
    c.attach(s.ws, s.raw);
    c.deliver(message(1));
    expect(parsed(s.sent)).toEqual([{ type: 'message', from: 'server', dataType: 'json', data: { n: 1 } }]);
    expect(c.unackedCount).toBe(0);
    expect(counters.framesSent).toBe(1);
  });

  it('remembers processed ack ids for duplicate detection, bounded', () => {
    const { c } = connection(SUBPROTOCOL_JSON);
    c.rememberProcessed(1);
    expect(c.wasProcessed(1)).toBe(true);
    for (let i = 2; i < 2000; i++) c.rememberProcessed(i);
    expect(c.wasProcessed(1)).toBe(false);
    expect(c.wasProcessed(1999)).toBe(true);
  });

  it('checks reconnection tokens and only issues them on the reliable subprotocol', () => {
    const reliable = connection(SUBPROTOCOL_JSON_RELIABLE).c;
    expect(reliable.matchesReconnectionToken(reliable.reconnectionToken!)).toBe(true);
    expect(reliable.matchesReconnectionToken('nope')).toBe(false);
    expect(connection(SUBPROTOCOL_JSON).c.reconnectionToken).toBeUndefined();
  });

  it('tells the client why before closing', () => {
    const { c } = connection(SUBPROTOCOL_JSON);
    const s = fakeSocket();
    c.attach(s.ws, s.raw);
    c.closeSocket(1008, 'bye');
    expect(parsed(s.sent)).toEqual([{ type: 'system', event: 'disconnected', message: 'bye' }]);
    expect(s.closed).toEqual({ code: 1008, reason: 'bye' });
    expect(c.isAttached).toBe(false);
  });
});
