/**
 * The bots HTTP API through the real local host: every command in every state (409
 * BOT.INVALID_TRANSITION with the current state, or 202 with the state after it), config versions
 * and the running version, paging, deletion, connection checks, scopes and tenant isolation over
 * every bots route. Bots reach `stopping` through real bars (a long position closing at the next
 * bar) and `faulted` by a planted entity state across a clean host restart (only a throwing strategy
 * faults a bot, and no built-in strategy throws).
 */
import { hostCosmosClient, ApiClient, principalFor, type ErrorBody } from '../support/api-client';
import { startLocalHost, type LocalHost } from '../support/local-host';
import {
  allPages,
  CROSS_UP_CLOSES,
  COMMANDS,
  createBot,
  dailyBars,
  events,
  getBot,
  mustCommand,
  paperConnection,
  plantBotStates,
  postBars,
  sendCommand,
  STATES,
  waitForBars,
  type BotBody,
  type Command,
  type Page,
  type State,
} from './bots-api-fixtures';

jest.setTimeout(180_000);

/** The lifecycle as the issue specifies it: valid commands and the state each leads to. */
const VALID: Record<State, Partial<Record<Command, State>>> = {
  draft: { start: 'running' },
  running: { pause: 'paused', stop: 'stopped', kill: 'stopped' },
  paused: { resume: 'running', stop: 'stopped', kill: 'stopped' },
  halted: { resume: 'running', stop: 'stopped', kill: 'stopped' },
  stopping: { kill: 'stopped' },
  stopped: { start: 'running' },
  faulted: { stop: 'stopped', kill: 'stopped' },
};

const CELLS = STATES.flatMap((state) => COMMANDS.map((command) => [state, command, VALID[state][command] ?? null] as const));

describe('bots API (local host)', () => {
  let host: LocalHost;
  let alice: ApiClient;
  let aliceAdmin: ApiClient;
  let bob: ApiClient;
  let aliceTenant: string;
  let aliceConnection: string;
  let bobConnection: string;
  /** Bots per state: [0] takes every invalid command, the others one valid command each. */
  const pool = new Map<State, string[]>();
  const stoppingSymbol = 'STOPPING';

  const need = (state: State): number => 1 + Object.keys(VALID[state]).length;

  async function botIn(state: State, symbol = 'IDLE'): Promise<string> {
    const bot = await createBot(alice, aliceConnection, symbol);
    if (state === 'draft') return bot.id;
    if (state === 'stopping') throw new Error('stopping bots are made from bars');
    await mustCommand(alice, bot.id, 'start');
    if (state === 'paused') await mustCommand(alice, bot.id, 'pause');
    if (state === 'stopped') await mustCommand(alice, bot.id, 'stop', false);
    if (state === 'halted') {
      const res = await aliceAdmin.post(`/api/admin/entities/bot/${bot.id}/halt`, { body: { reason: 'halted for the matrix test' } });
      if (res.status !== 202) throw new Error(`halt: ${res.status} ${res.text}`);
    }
    return bot.id;
  }

  beforeAll(async () => {
    const first = await startLocalHost();
    const alicePrincipal = principalFor('alice-bots');
    alice = new ApiClient(first.baseUrl, { principal: alicePrincipal });
    aliceTenant = (await alice.get<{ tenantId: string }>('/api/me')).body.tenantId;
    aliceConnection = await paperConnection(alice);
    // Faulted bots: running bots whose entity state is rewritten while the host is down.
    const faulted: string[] = [];
    for (let i = 0; i < need('faulted'); i++) faulted.push(await botIn('running'));
    const bots = hostCosmosClient(first).database('tradingtower').container('bots');
    for (const id of faulted) {
      const { resource } = await bots.item(id, [aliceTenant, id]).read<Record<string, unknown>>();
      await bots.item(id, [aliceTenant, id]).replace({ ...resource, status: 'faulted' });
    }
    await first.stop();
    const reason = { code: 'BOT.FAULTED', message: 'strategy failed (planted by the test)' };
    plantBotStates(first.dataDir, aliceTenant, Object.fromEntries(faulted.map((id) => [id, (s) => ({ ...s, machine: { ...(s.machine as object), status: 'faulted', reason } })])));
    pool.set('faulted', faulted);

    host = await startLocalHost({ dataDir: first.dataDir });
    alice = new ApiClient(host.baseUrl, { principal: alicePrincipal });
    aliceAdmin = new ApiClient(host.baseUrl, { principal: { ...alicePrincipal, userRoles: [...alicePrincipal.userRoles, 'admin'] } });
    bob = new ApiClient(host.baseUrl, { principal: principalFor('bob-bots') });
    bobConnection = await paperConnection(bob, 'Bob paper');

    for (const state of STATES) {
      if (state === 'faulted' || state === 'stopping') continue;
      const ids: string[] = [];
      for (let i = 0; i < need(state); i++) ids.push(await botIn(state));
      pool.set(state, ids);
    }
    // Stopping: long after a cross up, then stop with closePosition (it closes at the next bar).
    const stopping: string[] = [];
    for (let i = 0; i < need('stopping'); i++) {
      const bot = await createBot(alice, aliceConnection, stoppingSymbol);
      await mustCommand(alice, bot.id, 'start');
      stopping.push(bot.id);
    }
    await postBars(host, stoppingSymbol, dailyBars(CROSS_UP_CLOSES));
    for (const id of stopping) {
      const bot = await waitForBars(alice, id, CROSS_UP_CLOSES.length);
      if (bot.runtime?.position?.side !== 'long') throw new Error(`bot ${id} holds no position: ${JSON.stringify(bot.runtime)}`);
      const after = await mustCommand(alice, id, 'stop', true);
      if (after.status !== 'stopping') throw new Error(`bot ${id} is ${after.status} after stop with closePosition`);
    }
    pool.set('stopping', stopping);
  });
  afterAll(() => host?.stop());

  describe('every command in every state', () => {
    it('put one bot per cell into its state (through the API, bars, or the planted fault)', async () => {
      for (const state of STATES) {
        for (const id of pool.get(state)!) expect((await getBot(alice, id)).status).toBe(state);
      }
    });

    it.each(CELLS.filter(([, , to]) => to === null))('refuses %s → %s with 409 BOT.INVALID_TRANSITION naming the state, and signals nothing', async (state, command) => {
      const id = pool.get(state)![0]!;
      const before = await events(alice, id);
      const res = await sendCommand(alice, id, command);
      expect(res.status).toBe(409);
      const error = (res.body as unknown as ErrorBody).error;
      expect(error.code).toBe('BOT.INVALID_TRANSITION');
      expect(error.details).toMatchObject({ state, command });
      expect((await getBot(alice, id)).status).toBe(state);
      // Checked against the entity's state before signalling: the bot saw no command at all.
      expect(await events(alice, id)).toEqual(before);
    });

    it.each(CELLS.filter(([, , to]) => to !== null))('applies %s → %s and answers 202 with the bot in %s', async (state, command, to) => {
      const ids = pool.get(state)!;
      const index = 1 + Object.keys(VALID[state]).indexOf(command);
      const id = ids[index]!;
      const res = await sendCommand(alice, id, command);
      expect(res.status).toBe(202);
      expect(res.body.applied).toBe(true);
      expect(res.body.bot.status).toBe(to);
      expect((await getBot(alice, id)).status).toBe(to);
      const commands = (await events(alice, id, 'command')).filter((e) => e.data.commandId === res.body.commandId);
      expect(commands).toHaveLength(1);
    });

    it('requires stop to say whether to close the position', async () => {
      const id = pool.get('running')![0]!;
      const res = await alice.post<ErrorBody>(`/api/bots/${id}/stop`, { body: {} });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'closePosition', message: 'must be true or false' }]);
    });
  });

  describe('config versions', () => {
    let id: string;
    const patch = (body: unknown, etag: string | undefined) => alice.patch<BotBody>(`/api/bots/${id}`, { body, headers: etag ? { 'if-match': etag } : {} });

    it('starts at version 1 with no running version, and changes strategy params in draft as version 2', async () => {
      const created = await createBot(alice, aliceConnection, 'IDLE', { risk: { maxOrderNotional: 8000 } });
      id = created.id;
      expect([created.configVersion, created.runningConfigVersion, created.etag]).toEqual([1, null, '"v1"']);
      const res = await patch({ strategy: { params: { fast: 3, slow: 5 } } }, created.etag);
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"v2"');
      expect(res.body.configVersion).toBe(2);
      expect(res.body.strategy.params).toMatchObject({ fast: 3, slow: 5 });
    });

    it('needs If-Match (428) and refuses a stale one (409 etag-mismatch)', async () => {
      expect((await patch({ name: 'x' }, undefined)).status).toBe(428);
      const stale = await patch({ name: 'x' }, '"v1"');
      expect(stale.status).toBe(409);
      expect((stale.body as unknown as ErrorBody).error.details).toMatchObject({ reason: 'etag-mismatch' });
    });

    it('applies exactly one of two concurrent changes made from the same version', async () => {
      const other = await createBot(alice, aliceConnection, 'IDLE');
      const both = await Promise.all(
        ['left', 'right'].map((name) => alice.patch<BotBody>(`/api/bots/${other.id}`, { body: { name }, headers: { 'if-match': other.etag } })),
      );
      expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = both.find((r) => r.status === 200)!.body;
      const loser = both.find((r) => r.status === 409)!.body as unknown as ErrorBody;
      expect(loser.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'etag-mismatch' } });
      expect(await getBot(alice, other.id)).toMatchObject({ configVersion: 2, name: winner.name });
    });

    it('validates the merged config with the strategy schema (400 BOT.INVALID_CONFIG)', async () => {
      const res = await patch({ strategy: { params: { fast: 9 } } }, '"v2"');
      expect(res.status).toBe(400);
      expect((res.body as unknown as ErrorBody).error.code).toBe('BOT.INVALID_CONFIG');
      expect((await getBot(alice, id)).configVersion).toBe(2);
    });

    it('shows the version a start runs with', async () => {
      const bot = await mustCommand(alice, id, 'start');
      expect([bot.configVersion, bot.runningConfigVersion]).toEqual([2, 2]);
    });

    it('lets a running bot tighten risk limits as a new version', async () => {
      const res = await patch({ risk: { maxOrderNotional: 5000, maxOpenOrders: 3 } }, '"v2"');
      expect(res.status).toBe(200);
      expect(res.body.configVersion).toBe(3);
      expect(res.body.risk).toMatchObject({ maxOrderNotional: 5000, maxOpenOrders: 3 });
      expect(res.body.status).toBe('running');
    });

    it.each([
      ['loosening a limit', { risk: { maxOrderNotional: 9000 } }],
      ['removing a limit', { risk: { maxOpenOrders: null } }],
      ['strategy params', { strategy: { params: { fast: 2 } } }],
      ['sizing', { sizing: { mode: 'fraction', value: 0.5 } }],
    ])('refuses %s while running with 409 BOT.CONFIG_LOCKED and the state', async (_what, body) => {
      const res = await patch(body, '"v3"');
      expect(res.status).toBe(409);
      expect((res.body as unknown as ErrorBody).error).toMatchObject({ code: 'BOT.CONFIG_LOCKED', details: { state: 'running' } });
      expect((await getBot(alice, id)).configVersion).toBe(3);
    });

    it('changes strategy params when paused and runs the new version after resume', async () => {
      await mustCommand(alice, id, 'pause');
      const res = await patch({ strategy: { params: { fast: 2, slow: 4 } } }, '"v3"');
      expect(res.status).toBe(200);
      expect(res.body.configVersion).toBe(4);
      expect(res.body.runningConfigVersion).toBe(2);
      const resumed = await mustCommand(alice, id, 'resume');
      expect([resumed.configVersion, resumed.runningConfigVersion]).toEqual([4, 4]);
    });

    it('records every version with who, when and which fields changed (events ?type=config-version)', async () => {
      const me = (await alice.get<{ tenantId: string }>('/api/me')).body.tenantId;
      const versions = await events(alice, id, 'config-version');
      expect(versions.map((v) => v.data.version)).toEqual([4, 3, 2, 1]);
      expect(versions.map((v) => v.data.changes)).toEqual([['strategy.params.fast', 'strategy.params.slow'], ['risk.maxOpenOrders', 'risk.maxOrderNotional'], ['strategy.params.fast', 'strategy.params.slow'], []]);
      for (const v of versions) {
        expect(v.data.changedBy).toBe(`user:${me}`);
        expect(v.atMs).toBeGreaterThan(0);
      }
    });

    it.each([
      ['halted', 'BOT.CONFIG_LOCKED'],
      ['stopping', 'BOT.INVALID_TRANSITION'],
      ['faulted', 'BOT.INVALID_TRANSITION'],
    ] as const)('refuses strategy params in %s (%s)', async (state, code) => {
      const bot = await getBot(alice, pool.get(state)![0]!);
      const res = await alice.patch<ErrorBody>(`/api/bots/${bot.id}`, { body: { strategy: { params: { fast: 1 } } }, headers: { 'if-match': bot.etag } });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code, details: { state } });
    });

    it.each(['draft', 'stopped'] as const)('changes market and connection in %s', async (state) => {
      const bot = await getBot(alice, pool.get(state)![0]!);
      const other = await paperConnection(alice, `second ${state}`);
      const res = await alice.patch<BotBody & { connectionId: string; market: { symbol: string } }>(`/api/bots/${bot.id}`, {
        body: { connectionId: other, market: { symbol: 'OTHER' } },
        headers: { 'if-match': bot.etag },
      });
      expect(res.status).toBe(200);
      expect([res.body.connectionId, res.body.market.symbol, res.body.configVersion]).toEqual([other, 'OTHER', bot.configVersion + 1]);
    });
  });

  describe('creating and deleting', () => {
    it.each([
      ['strategy params outside its schema', { strategy: { id: 'sma-cross', params: { fast: 30, slow: 10 } } }, 'BOT.INVALID_CONFIG', 'strategy.params'],
      ['an unknown strategy', { strategy: { id: 'no-such', params: {} } }, 'BOT.INVALID_CONFIG', 'strategy.id'],
      ['an unknown field', { tenantId: '0'.repeat(32) }, 'VALIDATION.FAILED', 'tenantId'],
    ])('refuses %s with 400', async (_what, overrides, code, path) => {
      const res = await alice.post<ErrorBody>('/api/bots', { body: { ...{ name: 'x', connectionId: aliceConnection, market: { exchange: 'paper', symbol: 'X', timeframe: '1d' }, strategy: { id: 'sma-cross', params: {} } }, ...overrides } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(code);
      expect((res.body.error.details as { path: string }[]).map((d) => d.path)).toContain(path);
    });

    it("refuses another tenant's connection like a missing one", async () => {
      for (const connectionId of [bobConnection, 'f'.repeat(32)]) {
        const res = await alice.post<ErrorBody>('/api/bots', { body: { name: 'x', connectionId, market: { exchange: 'paper', symbol: 'X', timeframe: '1d' }, strategy: { id: 'sma-cross' } } });
        expect(res.status).toBe(400);
        expect(res.body.error.details).toEqual([{ path: 'connectionId', message: 'is not one of your connections' }]);
      }
    });

    it('deletes a draft bot (204, then 404 everywhere) and refuses to delete a running one', async () => {
      const bot = await createBot(alice, aliceConnection);
      expect((await alice.delete(`/api/bots/${bot.id}`)).status).toBe(204);
      expect((await alice.get(`/api/bots/${bot.id}`)).status).toBe(404);
      expect((await alice.get(`/api/bots/${bot.id}/events`)).status).toBe(404);
      expect((await allPages<BotBody>(alice, '/api/bots')).map((b) => b.id)).not.toContain(bot.id);
      const running = await alice.delete<ErrorBody>(`/api/bots/${pool.get('running')![0]!}`);
      expect(running.status).toBe(409);
      expect(running.body.error).toMatchObject({ code: 'BOT.INVALID_TRANSITION', details: { state: 'running' } });
    });

    it('keeps a connection with a running bot from being deleted, and a bot whose connection is gone from starting', async () => {
      const inUse = await alice.delete<ErrorBody>(`/api/connections/${aliceConnection}`);
      expect(inUse.status).toBe(409);
      expect(inUse.body.error.details).toMatchObject({ reason: 'connection-in-use' });

      const spare = await paperConnection(alice, 'spare');
      const bot = await createBot(alice, spare);
      expect((await alice.delete(`/api/connections/${spare}`)).status).toBe(204);
      const start = await sendCommand(alice, bot.id, 'start');
      expect(start.status).toBe(409);
      expect((start.body as unknown as ErrorBody).error).toMatchObject({ code: 'BOT.CONNECTION_UNAVAILABLE', details: { reason: 'connection-missing' } });
    });
  });

  describe('records and paging', () => {
    it('pages bots newest first with continuation tokens, disjoint and complete', async () => {
      const made: string[] = [];
      for (let i = 0; i < 5; i++) made.push((await createBot(bob, bobConnection, `PAGE${i}`)).id);
      const pages: string[][] = [];
      let token: string | null = null;
      do {
        const res: { status: number; body: Page<BotBody> } = await bob.get<Page<BotBody>>(`/api/bots?limit=2${token ? `&continuation=${token}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        pages.push(res.body.items.map((b) => b.id));
        token = res.body.continuationToken;
      } while (token !== null);
      expect(pages.flat()).toEqual([...made].reverse());
      expect(pages.length).toBe(3);
    });

    it("refuses a continuation token from another list with 400", async () => {
      const first = await bob.get<Page<BotBody>>('/api/bots?limit=1');
      const res = await bob.get<ErrorBody>(`/api/bots/${first.body.items[0]!.id}/events?limit=1&continuation=${first.body.continuationToken}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'query.continuation', message: 'is not a token returned by this list' }]);
    });

    it('pages events newest first without gaps or repeats', async () => {
      const id = pool.get('stopping')![0]!;
      const all = await events(alice, id);
      const paged = await allPages<{ seq: number }>(alice, `/api/bots/${id}/events`, 3);
      expect(paged.map((e) => e.seq)).toEqual(all.map((e) => e.seq));
      expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => b - a));
      expect(new Set(all.map((e) => e.seq)).size).toBe(all[0]!.seq);
    });

    it('shows the orders, fills and equity of a bot that traded, and its performance from them', async () => {
      const id = pool.get('stopping')![0]!;
      const orders = await allPages<{ clientOrderId: string; seq: number }>(alice, `/api/bots/${id}/orders`);
      expect(orders.map((o) => o.clientOrderId)).toEqual(orders.map((o) => `${id}-${o.seq}`));
      expect(orders.length).toBeGreaterThanOrEqual(2); // the entry and the closing order
      const fills = await allPages<{ side: string; reason: string; quantity: number }>(alice, `/api/bots/${id}/fills`);
      expect(fills.map((f) => f.side)).toEqual(['buy']);
      const equity = await allPages<{ barTimeMs: number; equity: number }>(alice, `/api/bots/${id}/equity`);
      expect(equity).toHaveLength(CROSS_UP_CLOSES.length);
      const perf = await alice.get<{ bars: number; fills: number; statistics: { equityFinal: number; trades: number } }>(`/api/bots/${id}/performance`);
      expect(perf.status).toBe(200);
      expect(perf.body).toMatchObject({ bars: CROSS_UP_CLOSES.length, fills: 1 });
      expect(perf.body.statistics.equityFinal).toBe(equity[0]!.equity);
      expect(perf.body.statistics.trades).toBe(0); // the position is still open until the next bar
    });
  });

  describe('scopes and tenant isolation', () => {
    it('lets a read token read bots but not command them', async () => {
      const token = (await alice.post<{ token: string }>('/api/tokens', { body: { name: 'reader', scopes: ['read'] } })).body.token;
      const reader = alice.withToken(token, 'x-tt-token');
      const id = pool.get('paused')![0]!;
      expect((await reader.get(`/api/bots/${id}`)).status).toBe(200);
      const res = await reader.post<ErrorBody>(`/api/bots/${id}/resume`);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    });

    const routes: [string, (as: ApiClient, id: string, etag: string) => Promise<{ status: number; body: unknown }>][] = [
      ['GET /api/bots/{id}', (as, id) => as.get(`/api/bots/${id}`)],
      ['PATCH /api/bots/{id}', (as, id, etag) => as.patch(`/api/bots/${id}`, { body: { name: 'pwned' }, headers: { 'if-match': etag } })],
      ['DELETE /api/bots/{id}', (as, id) => as.delete(`/api/bots/${id}`)],
      ...COMMANDS.map((c): [string, (as: ApiClient, id: string) => Promise<{ status: number; body: unknown }>] => [`POST /api/bots/{id}/${c}`, (as, id) => sendCommand(as, id, c)]),
      ...['orders', 'fills', 'equity', 'events', 'performance'].map((r): [string, (as: ApiClient, id: string) => Promise<{ status: number; body: unknown }>] => [
        `GET /api/bots/{id}/${r}`,
        (as, id) => as.get(`/api/bots/${id}/${r}`),
      ]),
    ];

    it.each(routes)("answers 404 to another tenant on %s, exactly like a missing bot", async (_route, call) => {
      for (const state of ['paused', 'draft'] as const) {
        const target = await getBot(alice, pool.get(state)![0]!);
        const foreign = await call(bob, target.id, target.etag);
        const missing = await call(bob, 'a'.repeat(24), target.etag);
        expect(foreign.status).toBe(404);
        expect(foreign.body).toEqual(missing.body);
        expect((await getBot(alice, target.id)).etag).toBe(target.etag);
      }
    });

    it("never lists another tenant's bots and leaves them unchanged", async () => {
      const bobsBots = await allPages<BotBody>(bob, '/api/bots');
      expect(bobsBots.length).toBeGreaterThan(0);
      const aliceIds = new Set([...pool.values()].flat());
      expect(bobsBots.filter((b) => aliceIds.has(b.id))).toEqual([]);
      for (const state of ['paused', 'draft'] as const) {
        const id = pool.get(state)![0]!;
        expect((await getBot(alice, id)).status).toBe(state);
        expect((await events(alice, id, 'command-rejected'))).toEqual([]);
      }
    });

    it('answers malformed bot ids with 404', async () => {
      for (const id of ['xyz', 'A'.repeat(24), '0'.repeat(25)]) expect((await alice.get(`/api/bots/${id}`)).status).toBe(404);
    });
  });
});

