import type { BarBatch } from '../../../shared/adapters/market-data/bar-sink';
import { startGateway, type Gateway, type GatewaySettings } from '../../../gateway/start-gateway';
import type { MarketKey } from '../../../shared/market/market-key';
import { FakeExchange, until } from './fake-exchange';

const settings = (overrides: Partial<GatewaySettings> = {}): GatewaySettings => ({
  GATEWAY_PORT: 0,
  GATEWAY_HOST: '127.0.0.1',
  GATEWAY_MARKETS: 'fake:A/USD',
  GATEWAY_CONTROL_KEY: undefined,
  GATEWAY_DEMAND_REFRESH_MS: 30_000,
  TICKS_PER_SECOND_PER_MARKET: 10,
  GATEWAY_MAX_BACKFILL_BARS: 100,
  ...overrides,
});

describe('startGateway', () => {
  let gateway: Gateway | undefined;
  const exchange = new FakeExchange();
  const delivered: BarBatch[] = [];
  const deps = (demand?: () => Promise<readonly MarketKey[]>) => ({
    exchanges: () => Promise.resolve(exchange),
    barSinks: [{ name: 'rec', deliver: (b: BarBatch) => Promise.resolve(void delivered.push(b)) }],
    ...(demand ? { demand: { name: 'test', list: demand } } : {}),
  });
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
  });

  const post = (g: Gateway, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${g.url}/markets`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('watches the configured markets and reports them on /markets and /health', async () => {
    gateway = await startGateway(settings(), deps());
    const markets = (await (await fetch(`${gateway.url}/markets`)).json()) as { markets: { market: string; group: string; sources: string[] }[] };
    expect(markets.markets).toEqual([expect.objectContaining({ market: 'fake:A/USD', group: 'md.fake.A_USD', sources: ['config'] })]);
    exchange.push('A/USD', [{ timestampMs: 1_000, price: 1, amount: 1 }]);
    await until(() => gateway!.feed('fake:A/USD')?.status.state === 'connected');
    const health = (await (await fetch(`${gateway.url}/health`)).json()) as { status: string; connections: number };
    expect(health).toMatchObject({ status: 'up', connections: 1 });
    const metrics = (await (await fetch(`${gateway.url}/metrics`)).json()) as { counters: { tradesIn: number } };
    expect(metrics.counters.tradesIn).toBe(1);
  });

  it('adds and removes markets through POST /markets, keeping configured ones', async () => {
    gateway = await startGateway(settings(), deps());
    const added = await post(gateway, { add: ['fake:B/USD'] });
    expect(added.status).toBe(200);
    expect(gateway.listMarkets().map((m) => m.market)).toEqual(['fake:A/USD', 'fake:B/USD']);
    const removed = (await (await post(gateway, { remove: ['fake:B/USD', 'fake:A/USD'] })).json()) as { removed: string[]; kept: string[] };
    expect(removed).toMatchObject({ removed: ['fake:B/USD'], kept: ['fake:A/USD'] });
    expect(gateway.listMarkets().map((m) => m.market)).toEqual(['fake:A/USD']);
    expect(exchange.unwatched).toContain('B/USD');
  });

  it('validates control requests and requires the control key when one is set', async () => {
    gateway = await startGateway(settings({ GATEWAY_CONTROL_KEY: 'k'.repeat(20) }), deps());
    expect((await post(gateway, { add: ['fake:B/USD'] })).status).toBe(401);
    expect((await post(gateway, { add: ['fake:B/USD'] }, { 'x-gateway-key': 'x'.repeat(20) })).status).toBe(401);
    const key = { 'x-gateway-key': 'k'.repeat(20) };
    expect((await post(gateway, { add: ['bad key'] }, key)).status).toBe(400);
    expect((await post(gateway, {}, key)).status).toBe(400);
    expect((await post(gateway, { add: [], extra: 1 }, key)).status).toBe(400);
    const plain = await fetch(`${gateway.url}/markets`, { method: 'POST', headers: { 'content-type': 'text/plain', ...key }, body: '{}' });
    expect(plain.status).toBe(415);
    expect((await fetch(`${gateway.url}/health`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${gateway.url}/nope`)).status).toBe(404);
    expect((await post(gateway, { add: ['fake:B/USD'] }, key)).status).toBe(200);
  });

  it('follows the markets running bots need, keeping the last answer when the source fails', async () => {
    let answer: readonly MarketKey[] | Error = ['fake:C/USD'];
    gateway = await startGateway(settings({ GATEWAY_MARKETS: '' }), deps(() => (answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer))));
    expect(gateway.listMarkets()).toEqual([expect.objectContaining({ market: 'fake:C/USD', sources: ['demand'] })]);
    answer = new Error('functions down');
    await gateway.refreshDemand();
    expect(gateway.listMarkets().map((m) => m.market)).toEqual(['fake:C/USD']);
    answer = ['fake:D/USD'];
    await gateway.refreshDemand();
    expect(gateway.listMarkets().map((m) => m.market)).toEqual(['fake:D/USD']);
  });
});
