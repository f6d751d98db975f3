/**
 * The local Web PubSub emulator driven by the real SDKs: `@azure/web-pubsub` (server) and
 * `@azure/web-pubsub-client` (Node). Plain HTTP/WS here (tls: false); the TLS path without
 * insecure switches is covered by local-webpubsub-tls.test.ts.
 */
import { WebPubSubServiceClient, type GroupListConnectionsOptions } from '@azure/web-pubsub';
import {
  SendMessageError,
  WebPubSubClient,
  WebPubSubJsonProtocol,
  type OnGroupDataMessageArgs,
  type OnServerDataMessageArgs,
  type WebPubSubClientOptions,
} from '@azure/web-pubsub-client';
import { WebSocket } from 'ws';
import { signHs256Jwt } from '../../local/webpubsub/jwt-hs256';
import { startLocalWebPubSub, type LocalWebPubSub } from '../../local/webpubsub/local-web-pubsub';
import { eventually } from '../support/local-host';

const HUB = 'market';

interface TestClient {
  readonly client: WebPubSubClient;
  readonly connectionId: string;
  readonly groupMessages: OnGroupDataMessageArgs['message'][];
  readonly serverMessages: OnServerDataMessageArgs['message'][];
  readonly disconnects: (string | undefined)[];
}

jest.setTimeout(30_000);

describe('local Web PubSub emulator with the Azure SDKs', () => {
  let emulator: LocalWebPubSub;
  let service: WebPubSubServiceClient;
  const clients: WebPubSubClient[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    emulator = await startLocalWebPubSub({ tls: false, log: (level, msg) => logs.push(`${level} ${msg}`) });
    service = new WebPubSubServiceClient(emulator.connectionString, HUB, { allowInsecureConnection: true });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.stop();
  });
  afterAll(async () => {
    await emulator.stop();
  });

  async function connect(
    token: { userId?: string; roles?: string[]; groups?: string[] },
    options: WebPubSubClientOptions = {},
  ): Promise<TestClient> {
    const client = new WebPubSubClient(
      { getClientAccessUrl: async () => (await service.getClientAccessToken(token)).url },
      // No keep-alive tasks: their un-abortable timers would keep jest alive after the clients stop.
      { messageRetryOptions: { maxRetries: 0 }, autoReconnect: false, keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0, ...options },
    );
    clients.push(client);
    const groupMessages: TestClient['groupMessages'] = [];
    const serverMessages: TestClient['serverMessages'] = [];
    const disconnects: (string | undefined)[] = [];
    client.on('group-message', (e) => groupMessages.push(e.message));
    client.on('server-message', (e) => serverMessages.push(e.message));
    client.on('disconnected', (e) => disconnects.push(e.message?.message));
    const connected = new Promise<string>((resolve) => client.on('connected', (e) => resolve(e.connectionId)));
    await client.start();
    return { client, connectionId: await connected, groupMessages, serverMessages, disconnects };
  }

  // The SDK wraps the pager in a tracing span that resolves to it, so it must be awaited first.
  async function listMembers(group: string, options: GroupListConnectionsOptions = {}): Promise<{ connectionId: string; userId?: string }[]> {
    const pager = await Promise.resolve(service.group(group).listConnections(options));
    const members: { connectionId: string; userId?: string }[] = [];
    for await (const m of pager) members.push(m);
    return members;
  }

  const waitFor = <T>(check: () => T | undefined, timeoutMs = 5_000): Promise<T> => eventually(() => Promise.resolve(check()), timeoutMs, 10);

  it('delivers server sends to all, to a group, to a user and to a connection with the right dataType', async () => {
    const alice = await connect({ userId: 'alice', roles: ['webpubsub.joinLeaveGroup.md.sim.BTC-USD'] });
    await alice.client.joinGroup('md.sim.BTC-USD');

    await service.sendToAll({ kind: 'all', n: 1 });
    await service.group('md.sim.BTC-USD').sendToAll('tick text', { contentType: 'text/plain' });
    await service.group('md.sim.BTC-USD').sendToAll([{ p: 101.5, t: 1 }]);
    await service.sendToUser('alice', new Uint8Array([1, 2, 3]).buffer);
    await service.sendToConnection(alice.connectionId, { kind: 'direct' });

    await waitFor(() => (alice.serverMessages.length === 5 ? true : undefined));
    // Whatever the REST target, the service marks these messages as coming from the server;
    // `from: "group"` is only for what clients publish to a group.
    expect(alice.serverMessages.map((m) => [m.dataType, m.data])).toEqual([
      ['json', { kind: 'all', n: 1 }],
      ['text', 'tick text'],
      ['json', [{ p: 101.5, t: 1 }]],
      ['binary', new Uint8Array([1, 2, 3]).buffer],
      ['json', { kind: 'direct' }],
    ]);
    expect(alice.groupMessages).toEqual([]);
    // The default subprotocol is the reliable one: data frames carry increasing sequence ids.
    expect(alice.serverMessages.map((m) => m.sequenceId)).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not deliver group sends to connections outside the group', async () => {
    const inside = await connect({ userId: 'in', roles: ['webpubsub.joinLeaveGroup'] });
    const outside = await connect({ userId: 'out', roles: ['webpubsub.joinLeaveGroup'] });
    await inside.client.joinGroup('g1');
    await service.group('g1').sendToAll({ only: 'g1' });
    await service.sendToAll({ marker: 'end' });
    await waitFor(() => (outside.serverMessages.length === 1 && inside.serverMessages.length === 2 ? true : undefined));
    expect(inside.serverMessages.map((m) => m.data)).toEqual([{ only: 'g1' }, { marker: 'end' }]);
    expect(outside.serverMessages.map((m) => m.data)).toEqual([{ marker: 'end' }]);
  });

  it('answers existence checks for connections, users and groups', async () => {
    const bob = await connect({ userId: 'bob', groups: ['tenant.T1.bots'] });
    expect(await service.connectionExists(bob.connectionId)).toBe(true);
    expect(await service.connectionExists('no-such-connection')).toBe(false);
    expect(await service.userExists('bob')).toBe(true);
    expect(await service.userExists('nobody')).toBe(false);
    expect(await service.groupExists('tenant.T1.bots')).toBe(true);
    expect(await service.groupExists('tenant.T2.bots')).toBe(false);
  });

  it('joins the groups of the webpubsub.group claim at connect', async () => {
    const c = await connect({ userId: 'carol', groups: ['md.sim.ETH-USD'] });
    await service.group('md.sim.ETH-USD').sendToAll({ p: 1 });
    await waitFor(() => (c.serverMessages.length === 1 ? true : undefined));
    expect(c.serverMessages[0]!.data).toEqual({ p: 1 });
  });

  describe('group permissions from token roles', () => {
    const joinError = async (client: WebPubSubClient, group: string): Promise<unknown> => client.joinGroup(group).then(() => 'joined', (e: unknown) => e);

    it('refuses a tenant A client (pattern role tenant.A.*) joining tenant.B.bots, and delivers nothing from it', async () => {
      const a = await connect({ userId: 'ua', roles: ['webpubsub.joinLeaveGroups.tenant.A.*', 'webpubsub.joinLeaveGroups.md.**'] });
      expect(await joinError(a.client, 'tenant.A.bots')).toBe('joined');
      expect(await joinError(a.client, 'md.sim.BTC-USD')).toBe('joined');
      const refused = await joinError(a.client, 'tenant.B.bots');
      expect(refused).toBeInstanceOf(SendMessageError);
      expect((refused as SendMessageError).errorDetail?.name).toBe('Forbidden');
      // `*` stops at a dot: a deeper group is not covered by tenant.A.*.
      expect(((await joinError(a.client, 'tenant.A.bots.extra')) as SendMessageError).errorDetail?.name).toBe('Forbidden');

      await service.group('tenant.B.bots').sendToAll({ secret: 'B' });
      await service.group('tenant.A.bots').sendToAll({ mine: 'A' });
      await waitFor(() => (a.serverMessages.length === 1 ? true : undefined));
      expect(a.serverMessages.map((m) => m.data)).toEqual([{ mine: 'A' }]);
      expect(await service.groupExists('tenant.B.bots')).toBe(false);
    });

    it('treats a literal per-group role exactly: joinLeaveGroup.tenant.A.bots allows only that group', async () => {
      const a = await connect({ userId: 'ua2', roles: ['webpubsub.joinLeaveGroup.tenant.A.bots', 'webpubsub.joinLeaveGroup.tenant.A.*'] });
      expect(await joinError(a.client, 'tenant.A.bots')).toBe('joined');
      expect(((await joinError(a.client, 'tenant.B.bots')) as SendMessageError).errorDetail?.name).toBe('Forbidden');
      // The literal role names a group called "tenant.A.*", it is no wildcard.
      expect(((await joinError(a.client, 'tenant.A.orders')) as SendMessageError).errorDetail?.name).toBe('Forbidden');
      expect(((await joinError(a.client, 'tenant.A.botsX')) as SendMessageError).errorDetail?.name).toBe('Forbidden');
    });

    it('refuses joins and sends to a client without roles', async () => {
      const c = await connect({ userId: 'plain' });
      expect(((await joinError(c.client, 'md.sim.BTC-USD')) as SendMessageError).errorDetail?.name).toBe('Forbidden');
      const sent = await c.client.sendToGroup('md.sim.BTC-USD', { x: 1 }, 'json').then(
        () => 'sent',
        (e: SendMessageError) => e.errorDetail?.name,
      );
      expect(sent).toBe('Forbidden');
    });

    it('lets a client with sendToGroup.<group> publish to that group only, with fromUserId and noEcho', async () => {
      const sender = await connect({ userId: 'pub', roles: ['webpubsub.sendToGroup.chat', 'webpubsub.joinLeaveGroup.chat'] });
      const reader = await connect({ userId: 'sub', roles: ['webpubsub.joinLeaveGroup.chat'] });
      await sender.client.joinGroup('chat');
      await reader.client.joinGroup('chat');
      await sender.client.sendToGroup('chat', 'hello', 'text', { noEcho: true });
      await sender.client.sendToGroup('chat', { n: 2 }, 'json');
      const other = await sender.client.sendToGroup('other', 'x', 'text').then(
        () => 'sent',
        (e: SendMessageError) => e.errorDetail?.name,
      );
      expect(other).toBe('Forbidden');
      await waitFor(() => (reader.groupMessages.length === 2 && sender.groupMessages.length === 1 ? true : undefined));
      expect(reader.groupMessages.map((m) => [m.fromUserId, m.dataType, m.data])).toEqual([
        ['pub', 'text', 'hello'],
        ['pub', 'json', { n: 2 }],
      ]);
      expect(sender.groupMessages.map((m) => m.data)).toEqual([{ n: 2 }]);
    });

    it('applies permissions granted and revoked through REST', async () => {
      const c = await connect({ userId: 'granted' });
      expect(((await joinError(c.client, 'vip')) as SendMessageError).errorDetail?.name).toBe('Forbidden');
      await service.grantPermission(c.connectionId, 'joinLeaveGroup', { targetName: 'vip' });
      expect(await service.hasPermission(c.connectionId, 'joinLeaveGroup', { targetName: 'vip' })).toBe(true);
      expect(await service.hasPermission(c.connectionId, 'joinLeaveGroup', { targetName: 'other' })).toBe(false);
      expect(await joinError(c.client, 'vip')).toBe('joined');
      await service.revokePermission(c.connectionId, 'joinLeaveGroup', { targetName: 'vip' });
      expect(await service.hasPermission(c.connectionId, 'joinLeaveGroup', { targetName: 'vip' })).toBe(false);
    });
  });

  describe('membership changes through REST', () => {
    it('adds and removes a connection to and from a group', async () => {
      const c = await connect({ userId: 'm1' });
      await service.group('news').addConnection(c.connectionId);
      await service.group('news').sendToAll({ n: 1 });
      await waitFor(() => (c.serverMessages.length === 1 ? true : undefined));
      await service.group('news').removeConnection(c.connectionId);
      expect(await service.groupExists('news')).toBe(false);
      await service.group('news').sendToAll({ n: 2 });
      await service.sendToConnection(c.connectionId, { marker: true });
      await waitFor(() => (c.serverMessages.length === 2 ? true : undefined));
      expect(c.serverMessages.map((m) => m.data)).toEqual([{ n: 1 }, { marker: true }]);
    });

    it('adds a user to a group, including the user\'s later connections, and removes them', async () => {
      const first = await connect({ userId: 'dave' });
      await service.group('desk').addUser('dave');
      const second = await connect({ userId: 'dave' });
      await service.group('desk').sendToAll({ n: 1 });
      await waitFor(() => (first.serverMessages.length === 1 && second.serverMessages.length === 1 ? true : undefined));
      await service.group('desk').removeUser('dave');
      expect(await service.groupExists('desk')).toBe(false);

      await service.group('a').addUser('dave');
      await service.group('b').addUser('dave');
      await service.removeUserFromAllGroups('dave');
      expect(await service.groupExists('a')).toBe(false);
      expect(await service.groupExists('b')).toBe(false);
    });

    it('removes a connection from all groups and adds connections to groups by filter', async () => {
      const x = await connect({ userId: 'x', groups: ['g.x1', 'g.x2'] });
      const y = await connect({ userId: 'y' });
      await service.removeConnectionFromAllGroups(x.connectionId);
      expect(await service.groupExists('g.x1')).toBe(false);
      await service.addConnectionsToGroups(['g.filtered'], "userId eq 'y'");
      expect(await listMembers('g.filtered')).toEqual([{ connectionId: y.connectionId, userId: 'y' }]);
      await service.removeConnectionsFromGroups(['g.filtered'], "userId eq 'y'");
      expect(await service.groupExists('g.filtered')).toBe(false);
    });

    it('refuses group names with "/" in REST paths, as the service cannot address them reliably', async () => {
      await expect(service.group('md.sim.BTC/USD').sendToAll({ p: 1 })).rejects.toMatchObject({ statusCode: 400 });
      await expect(service.sendToUser('tenant/alice', { p: 1 })).rejects.toMatchObject({ statusCode: 400 });
    });

    it('lists group members page by page', async () => {
      const ids = new Set<string>();
      for (const userId of ['l1', 'l2', 'l3', 'l4', 'l5']) ids.add((await connect({ userId, groups: ['listed'] })).connectionId);
      const all = await listMembers('listed', { maxPageSize: 2 });
      expect(new Set(all.map((m) => m.connectionId))).toEqual(ids);
      expect(all).toHaveLength(5);
      expect(await listMembers('listed', { maxPageSize: 2, top: 3 })).toHaveLength(3);
    });

    it('honours excluded connection ids and filters on sends', async () => {
      const p = await connect({ userId: 'p', groups: ['room'] });
      const q = await connect({ userId: 'q', groups: ['room'] });
      await service.group('room').sendToAll({ n: 'not-p' }, { excludedConnections: [p.connectionId] });
      await service.sendToAll({ n: 'only-p' }, { filter: "userId eq 'p'" });
      await service.sendToAll({ n: 'end' });
      await waitFor(() => (p.serverMessages.length === 2 && q.serverMessages.length === 2 ? true : undefined));
      expect(q.serverMessages.map((m) => m.data)).toEqual([{ n: 'not-p' }, { n: 'end' }]);
      expect(p.serverMessages.map((m) => m.data)).toEqual([{ n: 'only-p' }, { n: 'end' }]);
    });
  });

  describe('closing connections through REST', () => {
    it('disconnects the client with the reason and forgets the connection', async () => {
      const c = await connect({ userId: 'closeme', groups: ['tenant.T9.bots'] });
      const stopped = new Promise<void>((resolve) => c.client.on('stopped', () => resolve()));
      await service.closeConnection(c.connectionId, { reason: 'bye now' });
      await stopped;
      expect(c.disconnects).toEqual(['bye now']);
      expect(await service.connectionExists(c.connectionId)).toBe(false);
      expect(await service.groupExists('tenant.T9.bots')).toBe(false);
    });

    it('closes all connections of a user, of a group and of the hub', async () => {
      const u1 = await connect({ userId: 'eve' });
      const u2 = await connect({ userId: 'eve' });
      const g1 = await connect({ userId: 'frank', groups: ['closing'] });
      const keep = await connect({ userId: 'gina' });
      await service.closeUserConnections('eve');
      await service.group('closing').closeAllConnections({ reason: 'group closed' });
      await waitFor(() => (u1.disconnects.length + u2.disconnects.length + g1.disconnects.length === 3 ? true : undefined));
      expect(g1.disconnects).toEqual(['group closed']);
      expect(await service.connectionExists(keep.connectionId)).toBe(true);
      await service.closeAllConnections();
      await waitFor(() => (keep.disconnects.length === 1 ? true : undefined));
    });
  });

  describe('REST authentication', () => {
    it('answers 401 to a server client with the wrong access key', async () => {
      const wrong = new WebPubSubServiceClient(emulator.connectionString.replace(/AccessKey=[^;]+/, 'AccessKey=wrong-key'), HUB, { allowInsecureConnection: true });
      await expect(wrong.sendToAll({ x: 1 })).rejects.toMatchObject({ statusCode: 401 });
    });

    it('answers 401 without a token, with a token for another URL, and with an expired token', async () => {
      const url = `${emulator.endpoint}/api/hubs/${HUB}/:send?api-version=2024-12-01`;
      const post = (authorization?: string) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: '{}' });
      const nowS = Math.floor(Date.now() / 1000);
      expect((await post()).status).toBe(401);
      expect((await post(`Bearer ${signHs256Jwt({ aud: `${emulator.endpoint}/api/hubs/other/:send?api-version=2024-12-01`, exp: nowS + 60 }, emulator.accessKey)}`)).status).toBe(401);
      expect((await post(`Bearer ${signHs256Jwt({ aud: url, exp: nowS - 60 }, emulator.accessKey)}`)).status).toBe(401);
      expect((await post(`Bearer ${signHs256Jwt({ aud: url, exp: nowS + 60 }, emulator.accessKey)}`)).status).toBe(202);
    });

    it('refuses a websocket connect with a token signed by another key or for another hub', async () => {
      const good = await service.getClientAccessToken({ userId: 'z' });
      const forged = signHs256Jwt({ aud: `${emulator.endpoint}/client/hubs/${HUB}`, sub: 'z', exp: Math.floor(Date.now() / 1000) + 60 }, 'not-the-key');
      const otherHub = await new WebPubSubServiceClient(emulator.connectionString, 'otherhub', { allowInsecureConnection: true }).getClientAccessToken();
      const status = (url: string) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(url, 'json.webpubsub.azure.v1');
          ws.on('open', () => {
            ws.close();
            resolve(101);
          });
          ws.on('unexpected-response', (_req, res) => {
            resolve(res.statusCode ?? 0);
            ws.terminate();
          });
          ws.on('error', () => undefined);
        });
      expect(await status(good.url)).toBe(101);
      expect(await status(`${good.baseUrl}?access_token=${forged}`)).toBe(401);
      expect(await status(`${good.baseUrl}?access_token=${otherHub.token}`)).toBe(401);
      expect(await status(good.baseUrl)).toBe(401);
    });
  });

  describe('subprotocols', () => {
    it('sends no sequence ids on json.webpubsub.azure.v1', async () => {
      const c = await connect({ userId: 'plainproto', groups: ['pp'] }, { protocol: WebPubSubJsonProtocol() });
      await service.group('pp').sendToAll({ n: 1 });
      await waitFor(() => (c.serverMessages.length === 1 ? true : undefined));
      expect(c.serverMessages[0]!.sequenceId).toBeUndefined();
      expect(c.serverMessages[0]!.data).toEqual({ n: 1 });
    });

    it('answers ping with pong, acks requests once and reports a resent ack id as Duplicate', async () => {
      const token = await service.getClientAccessToken({ userId: 'wire', roles: ['webpubsub.joinLeaveGroup.wire'] });
      const ws = new WebSocket(token.url, 'json.webpubsub.azure.v1');
      const frames: unknown[] = [];
      ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString())));
      await new Promise((resolve) => ws.once('open', resolve));
      try {
        ws.send(JSON.stringify({ type: 'ping' }));
        ws.send(JSON.stringify({ type: 'joinGroup', group: 'wire', ackId: 7 }));
        ws.send(JSON.stringify({ type: 'joinGroup', group: 'wire', ackId: 7 }));
        ws.send(JSON.stringify({ type: 'joinGroup', group: 'other', ackId: 8 }));
        ws.send(JSON.stringify({ type: 'joinGroup', ackId: 9 }));
        await waitFor(() => (frames.length === 6 ? true : undefined));
        expect(frames[0]).toEqual({ type: 'system', event: 'connected', userId: 'wire', connectionId: expect.any(String) });
        expect(frames.slice(1, 5)).toEqual([
          { type: 'pong' },
          { type: 'ack', ackId: 7, success: true },
          { type: 'ack', ackId: 7, success: false, error: { name: 'Duplicate', message: expect.any(String) } },
          { type: 'ack', ackId: 8, success: false, error: { name: 'Forbidden', message: expect.any(String) } },
        ]);
        expect(frames[5]).toMatchObject({ type: 'ack', ackId: 9, success: false, error: { name: 'BadRequest' } });
      } finally {
        ws.close();
      }
    });

    it('gives a simple websocket client (no subprotocol) the raw payloads', async () => {
      const token = await service.getClientAccessToken({ userId: 'raw', groups: ['rawg'] });
      const ws = new WebSocket(token.url);
      const frames: { text: string; binary: boolean }[] = [];
      ws.on('message', (data: Buffer, binary: boolean) => frames.push({ text: binary ? data.toString('hex') : data.toString(), binary }));
      await new Promise((resolve) => ws.once('open', resolve));
      try {
        await service.group('rawg').sendToAll({ a: 1 });
        await service.group('rawg').sendToAll('plain', { contentType: 'text/plain' });
        await service.group('rawg').sendToAll(new Uint8Array([255, 0]).buffer);
        await waitFor(() => (frames.length === 3 ? true : undefined));
        expect(frames).toEqual([
          { text: '{"a":1}', binary: false },
          { text: 'plain', binary: false },
          { text: 'ff00', binary: true },
        ]);
      } finally {
        ws.close();
      }
    });
  });

  describe('reliable subprotocol recovery', () => {
    it('recovers a dropped connection with the same id and resends what the client had not acknowledged', async () => {
      const c = await connect({ userId: 'rel', groups: ['rg'] }, { autoReconnect: false });
      await service.group('rg').sendToAll({ n: 1 });
      await waitFor(() => (c.serverMessages.length === 1 ? true : undefined));
      expect(emulator.dropConnection(c.connectionId)).toBe(true);
      // Sent while the websocket is down: buffered in the session.
      await service.group('rg').sendToAll({ n: 2 });
      await service.group('rg').sendToAll({ n: 3 });
      await waitFor(() => (c.serverMessages.length === 3 ? true : undefined), 15_000);
      expect(c.serverMessages.map((m) => (m.data as { n: number }).n)).toEqual([1, 2, 3]);
      expect(c.disconnects).toEqual([]);
      expect(await service.connectionExists(c.connectionId)).toBe(true);
      await service.group('rg').sendToAll({ n: 4 });
      await waitFor(() => (c.serverMessages.length === 4 ? true : undefined));
      expect(emulator.stats().reliableResent).toBeGreaterThanOrEqual(2);
    });
  });
});
