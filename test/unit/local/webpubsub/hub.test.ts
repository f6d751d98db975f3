import { ClientConnection, SUBPROTOCOL_JSON } from '../../../../local/webpubsub/client-connection';
import { ClientPermissions } from '../../../../local/webpubsub/client-permissions';
import { Hub } from '../../../../local/webpubsub/hub';
import { OutboundMessage, payloadFromRest } from '../../../../local/webpubsub/message-frames';
import { compileConnectionFilter } from '../../../../local/webpubsub/odata-filter';
import { fakeSocket, type FakeSocket } from './fake-socket';

const message = (): OutboundMessage => {
  const payload = payloadFromRest('text/plain', Buffer.from('x'));
  if (!payload.ok) throw new Error(payload.error.message);
  return new OutboundMessage({ from: 'server' }, payload.value);
};

function connect(hub: Hub, userId: string | undefined, groups: string[] = []): { c: ClientConnection; s: FakeSocket } {
  const c = new ClientConnection('h', userId, SUBPROTOCOL_JSON, ClientPermissions.fromRoles([]), { maxUnackedFrames: 10, maxBufferedBytes: 1e6 }, { framesSent: 0, bytesSent: 0 }, () => undefined, false);
  const s = fakeSocket();
  c.attach(s.ws, s.raw);
  hub.add(c, groups);
  return { c, s };
}

describe('Hub', () => {
  it('tracks group membership and forgets empty groups', () => {
    const hub = new Hub('h');
    const { c } = connect(hub, 'u1', ['a', 'b']);
    expect(hub.groupExists('a')).toBe(true);
    hub.leave(c, 'a');
    expect(hub.groupExists('a')).toBe(false);
    hub.remove(c);
    expect(hub.groupExists('b')).toBe(false);
    expect(hub.userExists('u1')).toBe(false);
    expect(c.removed).toBe(true);
  });

  it('keeps a user in a group for the user\'s later connections until removed', () => {
    const hub = new Hub('h');
    hub.addUserToGroup('u1', 'desk');
    expect(hub.groupExists('desk')).toBe(false);
    const { c } = connect(hub, 'u1');
    expect(c.groups.has('desk')).toBe(true);
    hub.removeUserFromGroup('u1', 'desk');
    expect(c.groups.has('desk')).toBe(false);
    expect(connect(hub, 'u1').c.groups.has('desk')).toBe(false);
  });

  it('delivers to a group, a user and the hub, honouring excluded ids and filters', () => {
    const hub = new Hub('h');
    const a = connect(hub, 'alice', ['g']);
    const b = connect(hub, 'bob', ['g']);
    const n = connect(hub, undefined);
    expect(hub.sendToGroup('g', message())).toBe(2);
    expect(hub.sendToGroup('g', message(), { excluded: new Set([a.c.connectionId]) })).toBe(1);
    expect(hub.sendToUser('bob', message())).toBe(1);
    const filter = compileConnectionFilter('userId eq null');
    expect(filter.ok && hub.sendToAll(message(), { filter: filter.value })).toBe(1);
    expect(hub.sendToGroup('nobody', message())).toBe(0);
    expect([a.s.sent.length, b.s.sent.length, n.s.sent.length]).toEqual([1, 3, 1]);
  });

  it('selects connections by filter for bulk group changes', () => {
    const hub = new Hub('h');
    connect(hub, 'alice');
    const b = connect(hub, 'bob');
    const filter = compileConnectionFilter("userId eq 'bob'");
    expect(filter.ok && hub.select({ filter: filter.value })).toEqual([b.c]);
    expect(hub.select({})).toHaveLength(2);
  });
});
