/**
 * The tenant kill switch through the real local host: engaging it sends every active bot of the
 * tenant exactly one operation that stops it (kill with flatten, stop otherwise), leaves other
 * tenants alone, blocks start while engaged, and releasing lifts the block without restarting bots.
 */
import { ApiClient, principalFor, type ErrorBody } from '../support/api-client';
import { eventually, startLocalHost, type LocalHost } from '../support/local-host';
import { CROSS_UP_CLOSES, createBot, dailyBars, events, getBot, mustCommand, paperConnection, postBars, sendCommand, waitForBars, type BotBody } from './bots-api-fixtures';

jest.setTimeout(180_000);

interface KillSwitchBody {
  engaged: boolean;
  flatten: boolean;
  changedBy: string;
  engagedAtMs: number | null;
  lastRun: { atMs: number; bots: { botId: string; action: string; statusBefore: string; statusAfter: string | null }[] } | null;
}

describe('tenant kill switch (local host)', () => {
  let host: LocalHost;
  let alice: ApiClient;
  let bob: ApiClient;
  let aliceTenant: string;
  const bots: Record<'trading' | 'trading2' | 'running' | 'paused' | 'halted' | 'draft' | 'stopped', string> = {
    trading: '', trading2: '', running: '', paused: '', halted: '', draft: '', stopped: '',
  };
  let bobBot: string;

  beforeAll(async () => {
    host = await startLocalHost();
    const principal = principalFor('alice-kill');
    alice = new ApiClient(host.baseUrl, { principal });
    const aliceAdmin = new ApiClient(host.baseUrl, { principal: { ...principal, userRoles: [...principal.userRoles, 'admin'] } });
    bob = new ApiClient(host.baseUrl, { principal: principalFor('bob-kill') });
    aliceTenant = (await alice.get<{ tenantId: string }>('/api/me')).body.tenantId;
    const connection = await paperConnection(alice);

    for (const key of ['trading', 'trading2'] as const) {
      bots[key] = (await createBot(alice, connection, 'KS')).id;
      await mustCommand(alice, bots[key], 'start');
    }
    bots.running = (await createBot(alice, connection)).id;
    await mustCommand(alice, bots.running, 'start');
    bots.paused = (await createBot(alice, connection)).id;
    await mustCommand(alice, bots.paused, 'start');
    await mustCommand(alice, bots.paused, 'pause');
    bots.halted = (await createBot(alice, connection)).id;
    await mustCommand(alice, bots.halted, 'start');
    expect((await aliceAdmin.post(`/api/admin/entities/bot/${bots.halted}/halt`, { body: { reason: 'kill switch test' } })).status).toBe(202);
    bots.draft = (await createBot(alice, connection)).id;
    bots.stopped = (await createBot(alice, connection)).id;
    await mustCommand(alice, bots.stopped, 'start');
    await mustCommand(alice, bots.stopped, 'stop');

    // The two trading bots go long on a cross up.
    await postBars(host, 'KS', dailyBars(CROSS_UP_CLOSES));
    for (const id of [bots.trading, bots.trading2]) expect((await waitForBars(alice, id, CROSS_UP_CLOSES.length)).runtime?.position?.side).toBe('long');

    const bobConnection = await paperConnection(bob);
    bobBot = (await createBot(bob, bobConnection)).id;
    await mustCommand(bob, bobBot, 'start');
  });
  afterAll(() => host?.stop());

  it('is released for a tenant that never used it', async () => {
    const res = await alice.get<KillSwitchBody>('/api/kill-switch');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ engaged: false, lastRun: null });
  });

  describe('engaged with flatten', () => {
    let answer: KillSwitchBody;
    let commandsBefore: Map<string, number>;

    beforeAll(async () => {
      commandsBefore = new Map();
      for (const id of Object.values(bots)) commandsBefore.set(id, (await events(alice, id, 'command')).length);
      const res = await alice.post<KillSwitchBody>('/api/kill-switch', { body: { engaged: true, flatten: true } });
      expect(res.status).toBe(200);
      answer = res.body;
    });

    it('reports one action per bot: kill for every active bot, nothing for draft and stopped ones', () => {
      const byBot = new Map(answer.lastRun!.bots.map((b) => [b.botId, b]));
      expect(answer).toMatchObject({ engaged: true, flatten: true, changedBy: `user:${aliceTenant}` });
      for (const key of ['trading', 'trading2', 'running', 'paused', 'halted'] as const) {
        expect(byBot.get(bots[key])).toMatchObject({ action: 'kill', statusAfter: 'stopped' });
      }
      expect(byBot.get(bots.draft)).toMatchObject({ action: 'none', statusBefore: 'draft' });
      expect(byBot.get(bots.stopped)).toMatchObject({ action: 'none', statusBefore: 'stopped' });
      expect(byBot.has(bobBot)).toBe(false);
    });

    it('stops every active bot with exactly one operation each', async () => {
      for (const key of ['trading', 'trading2', 'running', 'paused', 'halted'] as const) {
        const bot = await getBot(alice, bots[key]);
        expect(bot.status).toBe('stopped');
        const commands = await events(alice, bots[key], 'command');
        const added = commands.slice(0, commands.length - commandsBefore.get(bots[key])!);
        expect(added.map((e) => [e.data.command, e.data.actor])).toEqual([['kill', 'system:kill-switch']]);
      }
      for (const key of ['draft', 'stopped'] as const) expect((await events(alice, bots[key], 'command')).length).toBe(commandsBefore.get(bots[key]));
    });

    it('flattens the positions', async () => {
      for (const id of [bots.trading, bots.trading2]) {
        const flat = await eventually(async () => {
          const bot = await getBot(alice, id);
          return bot.runtime?.position?.side === 'flat' ? bot : undefined;
        });
        expect(flat.runtime?.openOrders).toBe(0);
        const fills = (await alice.get<{ items: { side: string; reason: string }[] }>(`/api/bots/${id}/fills`)).body.items;
        expect(fills.map((f) => f.side)).toEqual(['sell', 'buy']);
      }
    });

    it("leaves another tenant's bots running", async () => {
      expect((await getBot(bob, bobBot)).status).toBe('running');
      expect((await bob.get<KillSwitchBody>('/api/kill-switch')).body.engaged).toBe(false);
    });

    it('refuses to start a bot while engaged (409 KILL_SWITCH.ENGAGED) and signals nothing', async () => {
      const before = await events(alice, bots.draft);
      const res = await sendCommand(alice, bots.draft, 'start');
      expect(res.status).toBe(409);
      expect((res.body as unknown as ErrorBody).error.code).toBe('KILL_SWITCH.ENGAGED');
      expect(await events(alice, bots.draft)).toEqual(before);
    });

    it('still answers BOT.INVALID_TRANSITION first for a command the state does not allow', async () => {
      const res = await sendCommand(alice, bots.stopped, 'resume');
      expect(res.status).toBe(409);
      expect((res.body as unknown as ErrorBody).error).toMatchObject({ code: 'BOT.INVALID_TRANSITION', details: { state: 'stopped' } });
    });
  });

  describe('released, then engaged without flatten', () => {
    it('lets bots start again once released, without restarting any', async () => {
      const res = await alice.post<KillSwitchBody>('/api/kill-switch', { body: { engaged: false } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ engaged: false, engagedAtMs: null });
      expect((await getBot(alice, bots.running)).status).toBe('stopped');
      expect((await mustCommand(alice, bots.running, 'start')).status).toBe('running');
    });

    it('stops without flattening: open orders cancelled, the position stays', async () => {
      await mustCommand(alice, bots.trading, 'start');
      // Long again after a new cross up, then a cross down at the last close: its exit order waits for the next bar.
      const closes = [112, 108, 104, 100, 104, 109, 115, 121, 118, 112];
      await postBars(host, 'KS', dailyBars(closes, CROSS_UP_CLOSES.length));
      const before: BotBody = await waitForBars(alice, bots.trading, CROSS_UP_CLOSES.length + closes.length);
      expect(before.runtime?.position?.side).toBe('long');
      const working = (await alice.get<{ items: { clientOrderId: string; status: string; intent: { kind: string } }[] }>(`/api/bots/${bots.trading}/orders`)).body.items[0]!;
      expect(working.intent.kind).toBe('exit');
      expect(['sent', 'accepted']).toContain(working.status);

      const res = await alice.post<KillSwitchBody>('/api/kill-switch', { body: { engaged: true } });
      expect(res.status).toBe(200);
      const actions = new Map(res.body.lastRun!.bots.map((b) => [b.botId, b]));
      expect(actions.get(bots.trading)).toMatchObject({ action: 'stop', statusBefore: 'running', statusAfter: 'stopped' });
      expect(actions.get(bots.running)).toMatchObject({ action: 'stop', statusAfter: 'stopped' });
      await eventually(async () => {
        const orders = (await alice.get<{ items: { clientOrderId: string; status: string }[] }>(`/api/bots/${bots.trading}/orders`)).body.items;
        return orders.find((o) => o.clientOrderId === working.clientOrderId)?.status === 'cancelled' ? true : undefined;
      });
      const after = await getBot(alice, bots.trading);
      expect(after.status).toBe('stopped');
      expect(after.runtime?.position).toEqual(before.runtime?.position);
    });

    it('shows its state and last run on GET', async () => {
      const res = await alice.get<KillSwitchBody>('/api/kill-switch');
      expect(res.body).toMatchObject({ engaged: true, flatten: false });
      expect(res.body.lastRun!.bots.map((b) => b.botId).sort()).toEqual(Object.values(bots).sort());
    });
  });

  describe('requests', () => {
    it('needs the trade scope to change and refuses flatten without engaging', async () => {
      const token = (await alice.post<{ token: string }>('/api/tokens', { body: { name: 'reader', scopes: ['read'] } })).body.token;
      const reader = alice.withToken(token);
      expect((await reader.get('/api/kill-switch')).status).toBe(200);
      expect((await reader.post('/api/kill-switch', { body: { engaged: false } })).status).toBe(403);
      const bad = await alice.post<ErrorBody>('/api/kill-switch', { body: { engaged: false, flatten: true } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toEqual([{ path: 'flatten', message: 'only goes with engaged: true' }]);
      expect((await alice.post('/api/kill-switch', { body: {} })).status).toBe(400);
    });
  });
});
