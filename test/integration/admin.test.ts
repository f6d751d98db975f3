/**
 * Admin endpoints through the real local host: only signed-in users with the `admin` role get in
 * (403 for other users and for every token), admins see and act on their own tenant's entities only
 * (another tenant's entity answers 404), lists page with continuation tokens, and every operation is
 * checked by the state machine and leaves an audit event on the bot.
 */
import { ApiClient, principalFor, type ErrorBody, type Principal } from '../support/api-client';
import { startLocalHost, type LocalHost } from '../support/local-host';
import { createBot, events, getBot, mustCommand, paperConnection, type Page } from './bots-api-fixtures';

jest.setTimeout(180_000);

interface EntityItem {
  name: string;
  id: string;
  lastOperationTime: string;
  summary: Record<string, unknown>;
}

const asAdmin = (p: Principal): Principal => ({ ...p, userRoles: [...p.userRoles, 'admin'] });

describe('admin endpoints (local host)', () => {
  let host: LocalHost;
  let alice: ApiClient;
  let aliceAdmin: ApiClient;
  let aliceTenant: string;
  let bobAdmin: ApiClient;
  let aliceConnection: string;
  const aliceBots: string[] = [];
  let bobBot: string;

  beforeAll(async () => {
    host = await startLocalHost();
    const alicePrincipal = principalFor('alice-admin');
    alice = new ApiClient(host.baseUrl, { principal: alicePrincipal });
    aliceAdmin = new ApiClient(host.baseUrl, { principal: asAdmin(alicePrincipal) });
    aliceTenant = (await alice.get<{ tenantId: string }>('/api/me')).body.tenantId;
    const bobPrincipal = principalFor('bob-admin');
    const bob = new ApiClient(host.baseUrl, { principal: bobPrincipal });
    bobAdmin = new ApiClient(host.baseUrl, { principal: asAdmin(bobPrincipal) });
    aliceConnection = await paperConnection(alice);
    for (let i = 0; i < 3; i++) aliceBots.push((await createBot(alice, aliceConnection)).id);
    await mustCommand(alice, aliceBots[0]!, 'start');
    // Bob has entities of his own (more than Alice), so a leak would show in Alice's lists.
    const bobConnection = await paperConnection(bob);
    for (let i = 0; i < 4; i++) bobBot = (await createBot(bob, bobConnection)).id;
    await mustCommand(bob, bobBot, 'start');
  });
  afterAll(() => host?.stop());

  const routes: [string, (as: ApiClient) => Promise<{ status: number; body: unknown }>][] = [
    ['GET /api/admin/entities', (as) => as.get('/api/admin/entities?name=bot')],
    ['GET /api/admin/entities/{name}/{id}', (as) => as.get(`/api/admin/entities/bot/${aliceBots[0]!}`)],
    ['POST /api/admin/entities/{name}/{id}/{operation}', (as) => as.post(`/api/admin/entities/bot/${aliceBots[1]!}/forceStop`)],
  ];

  it.each(routes)('answers 403 FORBIDDEN to a signed-in user without the admin role on %s', async (_route, call) => {
    const res = await call(alice);
    expect(res.status).toBe(403);
    expect((res.body as ErrorBody).error.code).toBe('FORBIDDEN');
  });

  it.each(routes)('answers 403 FORBIDDEN to API tokens, whatever their scopes, on %s', async (_route, call) => {
    const token = (await alice.post<{ token: string }>('/api/tokens', { body: { name: 'script', scopes: ['read', 'trade'] } })).body.token;
    const res = await call(alice.withToken(token));
    expect(res.status).toBe(403);
    expect((res.body as ErrorBody).error.code).toBe('FORBIDDEN');
  });

  it('changed nothing while refusing', async () => {
    expect((await getBot(alice, aliceBots[1]!)).status).toBe('draft');
  });

  it("lists the admin's own tenant's bots with a state summary, and none of another tenant's", async () => {
    const res = await aliceAdmin.get<Page<EntityItem>>('/api/admin/entities?name=bot');
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => i.id).sort()).toEqual([...aliceBots].sort());
    const running = res.body.items.find((i) => i.id === aliceBots[0]);
    expect(running?.summary).toMatchObject({ status: 'running', strategy: 'sma-cross', configVersion: 1, runningConfigVersion: 1, connectionId: aliceConnection });
    expect(Date.parse(running!.lastOperationTime)).toBeGreaterThan(0);
    expect(res.body.continuationToken).toBeNull();
  });

  it('lists account entities the same way', async () => {
    const res = await aliceAdmin.get<Page<EntityItem>>('/api/admin/entities?name=account');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ name: 'account', id: aliceConnection, summary: { currency: 'USD', startingBalance: 10_000, books: 1, attachedBooks: 1 } });
  });

  it('pages with continuation tokens, disjoint and complete', async () => {
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: Page<EntityItem> } = await aliceAdmin.get<Page<EntityItem>>(`/api/admin/entities?name=bot&limit=1${token ? `&continuation=${token}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...res.body.items.map((i) => i.id));
      token = res.body.continuationToken;
      pages++;
    } while (token !== null && pages < 10);
    expect(seen.sort()).toEqual([...aliceBots].sort());
  });

  it("refuses another admin's continuation token, unknown names and a missing name with 400", async () => {
    const first = await aliceAdmin.get<Page<EntityItem>>('/api/admin/entities?name=bot&limit=1');
    const foreign = await bobAdmin.get<ErrorBody>(`/api/admin/entities?name=bot&limit=1&continuation=${first.body.continuationToken}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details).toEqual([{ path: 'query.continuation', message: 'is not a token returned by this list' }]);
    expect((await aliceAdmin.get('/api/admin/entities?name=market')).status).toBe(400);
    expect((await aliceAdmin.get('/api/admin/entities')).status).toBe(400);
  });

  it("reads the full state of the tenant's own entity, and 404 for another tenant's or a missing one", async () => {
    const res = await aliceAdmin.get<{ id: string; state: { machine: { status: string }; runner: { barsProcessed: number } } }>(`/api/admin/entities/bot/${aliceBots[0]!}`);
    expect(res.status).toBe(200);
    expect(res.body.state.machine.status).toBe('running');
    expect(res.body.state.runner.barsProcessed).toBe(0);
    const account = await aliceAdmin.get<{ state: { connectionId: string } }>(`/api/admin/entities/account/${aliceConnection}`);
    expect(account.body.state.connectionId).toBe(aliceConnection);
    const foreign = await aliceAdmin.get(`/api/admin/entities/bot/${bobBot}`);
    const missing = await aliceAdmin.get(`/api/admin/entities/bot/${'0'.repeat(24)}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
  });

  describe('operations', () => {
    interface OperationAnswer {
      commandId: string;
      applied: boolean;
      auditEvent: { id: string; type: string; data: Record<string, unknown> } | null;
      summary: Record<string, unknown>;
    }

    it('force-stops a running bot and records who did it as the audit event', async () => {
      const id = aliceBots[0]!;
      const res = await aliceAdmin.post<OperationAnswer>(`/api/admin/entities/bot/${id}/forceStop`);
      expect(res.status).toBe(202);
      expect(res.body.applied).toBe(true);
      expect(res.body.summary).toMatchObject({ status: 'stopped', reason: { code: 'BOT.FORCE_STOPPED' } });
      expect(res.body.auditEvent).toMatchObject({ type: 'command', data: { command: 'forceStop', actor: `admin:${aliceTenant}`, commandId: res.body.commandId } });
      const visible = (await events(alice, id, 'command')).find((e) => e.id === res.body.auditEvent!.id);
      expect(visible?.data.actor).toBe(`admin:${aliceTenant}`);
      expect((await getBot(alice, id)).status).toBe('stopped');
    });

    it('halts a running bot with the reason as the halt message, and needs that reason', async () => {
      const id = aliceBots[2]!;
      await mustCommand(alice, id, 'start');
      const noReason = await aliceAdmin.post<ErrorBody>(`/api/admin/entities/bot/${id}/halt`);
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.details).toEqual([{ path: 'reason', message: 'is required to halt a bot (it becomes the halt message)' }]);
      const res = await aliceAdmin.post<OperationAnswer>(`/api/admin/entities/bot/${id}/halt`, { body: { reason: 'exchange maintenance' } });
      expect(res.status).toBe(202);
      expect((await getBot(alice, id)).reason).toEqual({ code: 'BOT.HALTED_BY_ADMIN', message: 'exchange maintenance' });
    });

    it('answers 409 BOT.INVALID_TRANSITION with the state when the operation does not fit', async () => {
      const res = await aliceAdmin.post<ErrorBody>(`/api/admin/entities/bot/${aliceBots[1]!}/resetFault`);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'BOT.INVALID_TRANSITION', details: { state: 'draft', command: 'resetFault' } });
    });

    it("answers 404 for another tenant's bot and leaves it running", async () => {
      const res = await aliceAdmin.post<ErrorBody>(`/api/admin/entities/bot/${bobBot}/forceStop`);
      expect(res.status).toBe(404);
      const bobsView = await bobAdmin.get<{ state: { machine: { status: string } } }>(`/api/admin/entities/bot/${bobBot}`);
      expect(bobsView.body.state.machine.status).toBe('running');
    });

    it('refuses operations that are not admin operations of the entity', async () => {
      const account = await aliceAdmin.post<ErrorBody>(`/api/admin/entities/account/${aliceConnection}/forceStop`);
      expect(account.status).toBe(400);
      expect((account.body.error.details as { path: string }[])[0]!.path).toBe('operation');
      expect((await aliceAdmin.post(`/api/admin/entities/bot/${aliceBots[1]!}/start`)).status).toBe(404);
    });
  });
});
