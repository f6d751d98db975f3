/**
 * Bots publish to their tenant's live group, and the Functions app tells the gateway which markets
 * running bots need, through the real local host (compiled app, embedded Web PubSub emulator with
 * TLS): a `WebPubSubClient` negotiated for tenant A sees A's bot go running, its orders and fills
 * (the same the REST API lists); tenant B's client, joined to B's group, sees none of it;
 * GET /api/internal/markets lists a market while a bot runs on it and drops it when the bot stops.
 */
import { rmSync } from 'node:fs';
import { localTlsDir } from '../../local/host-launch';
import { ensureLocalTlsCert } from '../../local/tls/local-tls';
import { tenantIdFor } from '../../shared/auth/client-principal';
import type { BotLiveMessage, BotLiveUpdate } from '../../shared/schemas/bot-live-update';
import { ApiClient, principalFor } from '../support/api-client';
import { eventually, startLocalHost, tempDataDir, type LocalHost } from '../support/local-host';
import { allPages, createBot, CROSS_UP_CLOSES, dailyBars, mustCommand, paperConnection, postBars, waitForBars } from './bots-api-fixtures';
import { getJson, startWebPubSubClientProcess, type WebPubSubClientProcess } from './gateway-support';

const updatesOf = (client: WebPubSubClientProcess): BotLiveUpdate[] =>
  client.events.flatMap((e) => {
    const message = e.message as Partial<BotLiveMessage> | undefined;
    return message?.type === 'bot.updates' && message.updates ? message.updates : [];
  });

describe('bot live updates and market demand (local host)', () => {
  const dataDir = tempDataDir('tt-live-');
  let host: LocalHost;
  const clients: WebPubSubClientProcess[] = [];
  const alicePrincipal = principalFor('alice-live');
  const bobPrincipal = principalFor('bob-live');
  let alice: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    host = await startLocalHost({ dataDir });
    alice = new ApiClient(host.baseUrl, { principal: alicePrincipal });
    bob = new ApiClient(host.baseUrl, { principal: bobPrincipal });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function joinedClient(api: ApiClient, groups: (bots: string) => string[]): Promise<WebPubSubClientProcess> {
    const negotiated = await api.get<{ url: string; groups: { bots: string } }>('/api/negotiate');
    expect(negotiated.status).toBe(200);
    // The embedded emulator hands out its loopback ws:// port: browsers do not trust the local CA.
    expect(negotiated.body.url).toMatch(/^ws:\/\/localhost:\d+\/client\/hubs\/market\?access_token=/);
    const client = startWebPubSubClientProcess(negotiated.body.url, groups(negotiated.body.groups.bots), ensureLocalTlsCert(localTlsDir(dataDir)).caFile);
    clients.push(client);
    await client.joinsAnswered;
    return client;
  }

  const demand = (key = host.functionKey) =>
    getJson<{ markets: string[]; complete: boolean }>(`${host.baseUrl}/api/internal/markets`, { headers: key ? { 'x-functions-key': key } : {} });

  it("streams a bot's status, orders and fills to its tenant's group only", async () => {
    const aliceClient = await joinedClient(alice, (bots) => [bots]);
    const bobClient = await joinedClient(bob, (bots) => [bots, `tenant.${tenantIdFor(alicePrincipal)}.bots`]);
    expect(bobClient.events.filter((e) => e.joined).map((e) => e.joined)).toEqual([`tenant.${tenantIdFor(bobPrincipal)}.bots`]);
    expect(bobClient.events.find((e) => e.refused)?.refused).toBe(`tenant.${tenantIdFor(alicePrincipal)}.bots`);

    const connection = await paperConnection(alice);
    const bot = await createBot(alice, connection, 'LIVEUPD');
    await mustCommand(alice, bot.id, 'start');
    const running = await eventually(() => Promise.resolve(updatesOf(aliceClient).find((u) => u.botId === bot.id && u.status === 'running')));
    expect(running.configVersion).toBe(1);

    await postBars(host, 'LIVEUPD', dailyBars(CROSS_UP_CLOSES));
    await waitForBars(alice, bot.id, CROSS_UP_CLOSES.length);
    const fills = await allPages<{ fillId: string; price: number; quantity: number }>(alice, `/api/bots/${bot.id}/fills`);
    expect(fills.length).toBeGreaterThan(0);
    const liveFills = await eventually(() => {
      const got = updatesOf(aliceClient).flatMap((u) => (u.botId === bot.id ? u.fills : []));
      return Promise.resolve(got.length >= fills.length ? got : undefined);
    });
    expect(new Map(liveFills.map((f) => [f.fillId, [f.price, f.quantity]]))).toEqual(new Map(fills.map((f) => [f.fillId, [f.price, f.quantity]])));
    const orders = await allPages<{ clientOrderId: string; status: string }>(alice, `/api/bots/${bot.id}/orders`);
    const liveOrders = updatesOf(aliceClient).flatMap((u) => u.orders.map((o) => `${o.clientOrderId}:${o.status}`));
    for (const order of orders) expect(liveOrders).toContain(`${order.clientOrderId}:${order.status}`);

    // Every event the bot wrote reached the client in order, without a gap.
    const seqs = updatesOf(aliceClient).filter((u) => u.botId === bot.id).flatMap((u) => u.events.map((e) => e.seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(updatesOf(bobClient)).toEqual([]);
    expect(JSON.stringify(updatesOf(aliceClient))).not.toContain('"tenantId"');
  });

  it('lists the markets running bots need for the gateway, and drops one when its last bot stops', async () => {
    expect((await demand('')).status).toBe(401);
    const connection = await paperConnection(bob, 'Paper for sim');
    const bot = await createBot(bob, connection, 'SIM-ETH/USD', { market: { exchange: 'sim', symbol: 'SIM-ETH/USD', timeframe: '5m' } });
    expect((await demand()).body.markets).not.toContain('sim:SIM-ETH/USD:5m');
    await mustCommand(bob, bot.id, 'start');
    const listed = await eventually(async () => {
      const answer = await demand();
      return answer.body.markets.includes('sim:SIM-ETH/USD:5m') ? answer : undefined;
    });
    expect(listed.status).toBe(200);
    expect(listed.body.complete).toBe(true);
    expect(listed.body.markets).toContain('paper:LIVEUPD:1d');

    await mustCommand(bob, bot.id, 'stop');
    await eventually(async () => ((await demand()).body.markets.includes('sim:SIM-ETH/USD:5m') ? undefined : true));
    expect((await demand()).body.markets).toContain('paper:LIVEUPD:1d');
  });
});
