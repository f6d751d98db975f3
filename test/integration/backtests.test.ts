/**
 * Backtest, optimization and strategy routes against the real local host: uploads run in the
 * background and their results equal the engine run directly on the same file; validation answers
 * 400 with field details; another tenant gets 404 for everything and never sees a run in a list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCandlesContainer } from '../../shared/adapters/market-data/cosmos-candle-store';
import { DEFAULT_BACKTEST_CONFIG } from '../../shared/trading/backtest/backtest-config';
import { runBacktest } from '../../shared/trading/backtest/backtest-engine';
import { parseOhlcvCsv } from '../../shared/trading/csv/ohlcv-csv-parser';
import { getStrategy, parseStrategyParams } from '../../shared/trading/strategies/registry';
import type { BacktestDetailView, JobSummaryView, OptimizationDetailView, StrategyView } from '../../shared/schemas/backtest-views';
import { ApiClient, hostCosmosClient, principalFor, type ErrorBody } from '../support/api-client';
import { eventually, ROOT, startLocalHost, type LocalHost } from '../support/local-host';

jest.setTimeout(120_000);

const GOOG_PATH = join(ROOT, '..', 'shared', 'data', 'GOOG.csv');
const GOOG = readFileSync(GOOG_PATH);

const settingsQuery = (settings: unknown, fileName = 'GOOG.csv'): string => `settings=${encodeURIComponent(JSON.stringify(settings))}&fileName=${encodeURIComponent(fileName)}`;
const upload = (as: ApiClient, route: 'backtests' | 'optimizations', settings: unknown, body: string | Uint8Array = GOOG, fileName = 'GOOG.csv') =>
  as.post<JobSummaryView & ErrorBody>(`/api/${route}?${settingsQuery(settings, fileName)}`, { rawBody: body, headers: { 'content-type': 'text/csv' } });

async function finished<T extends JobSummaryView>(as: ApiClient, route: string, id: string): Promise<T> {
  return eventually(async () => {
    const res = await as.get<T>(`/api/${route}/${id}`);
    return res.body.status === 'succeeded' || res.body.status === 'failed' ? res.body : undefined;
  }, 60_000, 100);
}

describe('backtest API (local host + local Cosmos)', () => {
  let host: LocalHost;
  let alice: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    host = await startLocalHost();
    alice = new ApiClient(host.baseUrl, { principal: principalFor('alice-backtests') });
    bob = new ApiClient(host.baseUrl, { principal: principalFor('bob-backtests') });
  });
  afterAll(() => host.stop());

  describe('GET /api/strategies', () => {
    it('lists every strategy with a JSON Schema of its params and the defaults', async () => {
      const res = await alice.get<{ items: StrategyView[] }>('/api/strategies');
      expect(res.status).toBe(200);
      expect(res.body.items.map((s) => s.id)).toEqual(['sma-cross', 'ema-cross', 'rsi-reversion', 'bollinger-reversion', 'macd-trend', 'donchian-breakout', 'grid', 'dca']);
      const sma = res.body.items[0]!;
      expect(sma.defaults).toEqual({ fast: 10, slow: 30, allowShort: false });
      expect(sma.paramsSchema.properties.fast).toMatchObject({ type: 'integer', minimum: 1, default: 10, title: 'Fast', description: 'fast SMA period (bars)' });
      expect(sma.paramsSchema.properties.allowShort).toMatchObject({ type: 'boolean', default: false });
      expect(res.body.items.find((s) => s.id === 'dca')!.paramsSchema.properties.direction!.enum).toEqual(['long', 'short']);
    });

    it('needs a signed-in user or a token', async () => {
      const res = await new ApiClient(host.baseUrl).get<ErrorBody>('/api/strategies');
      expect(res.status).toBe(401);
    });
  });

  describe('a backtest on an uploaded CSV', () => {
    let detail: BacktestDetailView;
    const settings = { strategy: 'sma-cross', params: { fast: 10, slow: 30, allowShort: true }, cash: 10_000, commission: { rate: 0.001, fixed: 0 }, slippageBps: 2 };

    beforeAll(async () => {
      const res = await upload(alice, 'backtests', settings);
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('queued');
      expect(res.headers.get('location')).toBe(`/api/backtests/${res.body.id}`);
      detail = await finished<BacktestDetailView>(alice, 'backtests', res.body.id);
    });

    it('runs in the background to the statistics the engine computes on the same file', () => {
      const series = parseOhlcvCsv(GOOG.toString('utf8'), 'GOOG.csv');
      const strategy = getStrategy('sma-cross');
      if (!series.ok || !strategy.ok) throw new Error('fixture');
      const params = parseStrategyParams(strategy.value, settings.params);
      if (!params.ok) throw new Error('fixture');
      const direct = runBacktest(series.value, strategy.value, params.value, { cash: 10_000, commission: { rate: 0.001, fixed: 0 }, slippageBps: 2, sizing: { mode: 'fraction', value: 0.9999 }, lotStep: 1, shortAllowed: true });
      expect(detail.status).toBe('succeeded');
      expect(detail.stats).toEqual(JSON.parse(JSON.stringify(direct.stats)));
      expect(detail.result!.tradesTotal).toBe(direct.trades.length);
      expect(detail.result!.trades).toEqual(JSON.parse(JSON.stringify(direct.trades)));
      expect(detail.paramsResolved).toEqual({ fast: 10, slow: 30, allowShort: true });
    });

    it('answers the equity curve with every bar and a drawdown whose minimum is the max drawdown', () => {
      const equity = detail.result!.equity;
      expect(equity.bars).toBe(2148);
      expect(equity.bucketBars).toBe(1);
      expect(equity.timeMs).toHaveLength(2148);
      expect(equity.timeMs[0]).toBe(Date.UTC(2004, 7, 19));
      expect(Math.min(...equity.drawdownPct)).toBeCloseTo(detail.stats!.maxDrawdownPct!, 3);
      expect(equity.equity[2147]).toBeCloseTo(detail.stats!.equityFinal, 2);
    });

    it('downsamples on request and keeps the deepest drawdown', async () => {
      const res = await alice.get<BacktestDetailView>(`/api/backtests/${detail.id}?maxPoints=100`);
      const equity = res.body.result!.equity;
      expect(equity.timeMs.length).toBeLessThanOrEqual(100);
      expect(equity.bucketBars).toBe(22);
      expect(Math.min(...equity.drawdownPct)).toBeCloseTo(detail.stats!.maxDrawdownPct!, 3);
      expect(equity.timeMs.at(-1)).toBe(detail.result!.equity.timeMs.at(-1));
    });

    it('is listed for its tenant with its statistics', async () => {
      const res = await alice.get<{ items: JobSummaryView[] }>('/api/backtests');
      const listed = res.body.items.find((j) => j.id === detail.id);
      expect(listed?.stats?.sharpe).toBe(detail.stats!.sharpe);
      expect(listed?.source).toEqual({ kind: 'csv', fileName: 'GOOG.csv', bars: 2148, firstMs: Date.UTC(2004, 7, 19), lastMs: Date.UTC(2013, 2, 1) });
    });
  });

  describe('validation', () => {
    it('points at the param that the strategy refuses', async () => {
      const res = await upload(alice, 'backtests', { strategy: 'sma-cross', params: { fast: 40, slow: 30 } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION.FAILED');
      expect(res.body.error.details).toEqual([{ path: 'settings.params.fast', message: 'fast must be less than slow' }]);
    });

    it('refuses unknown params and strategies by name', async () => {
      const typo = await upload(alice, 'backtests', { strategy: 'sma-cross', params: { fsat: 5 } });
      expect(typo.body.error.details).toEqual([{ path: 'settings.params.fsat', message: 'is not a parameter of sma-cross' }]);
      const unknown = await upload(alice, 'backtests', { strategy: 'smacross' });
      expect(unknown.status).toBe(400);
      expect((unknown.body.error.details as { path: string }[])[0]!.path).toBe('settings.strategy');
    });

    it('reports the first bad CSV row with its file name and line, as the CLI does', async () => {
      const csv = ',Open,High,Low,Close,Volume\n2004-08-19,100,104,95,100,1\n2004-08-20,100,99,101,100,1\n';
      const res = await upload(alice, 'backtests', { strategy: 'sma-cross' }, csv, 'bad.csv');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION.CSV_INVALID');
      expect(res.body.error.message).toBe('bad.csv:3: high 99 is below low 101');
    });

    it('refuses an upload over 20 MB with 413 before parsing it', async () => {
      const big = new Uint8Array(20 * 1024 * 1024 + 1).fill(0x30);
      const res = await upload(alice, 'backtests', { strategy: 'sma-cross' }, big);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers 415 to a body that is neither JSON nor text/csv', async () => {
      const res = await alice.post<ErrorBody>(`/api/backtests?${settingsQuery({ strategy: 'sma-cross' })}`, { rawBody: GOOG, headers: { 'content-type': 'text/plain' } });
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers VALIDATION.NO_CANDLES for stored candles the deployment does not have', async () => {
      const res = await alice.post<ErrorBody>('/api/backtests', {
        body: { strategy: 'sma-cross', data: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', fromMs: Date.UTC(2024, 0, 1), toMs: Date.UTC(2024, 1, 1) } },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION.NO_CANDLES');
    });

    it('refuses a candle range that ends before it starts', async () => {
      const res = await alice.post<ErrorBody>('/api/backtests', { body: { strategy: 'sma-cross', data: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', fromMs: 2000, toMs: 1000 } } });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'data.toMs', message: 'must be after fromMs' }]);
    });
  });

  describe('a backtest on stored candles', () => {
    it('reads the bars the gateway stored in the range [fromMs, toMs) and runs on them like on the same CSV', async () => {
      const series = parseOhlcvCsv(GOOG.toString('utf8'), 'GOOG.csv');
      if (!series.ok) throw new Error('fixture');
      // Store GOOG as hourly candles of a market, as the gateway's candle store writes them.
      const cosmos = hostCosmosClient(host);
      // The host's ensureCosmosSchema created `candles` from the declaration; opening it checks the key.
      const container = await openCandlesContainer(cosmos, 'tradingtower');
      const hour = 3_600_000;
      const start = Date.UTC(2024, 0, 1);
      const s = series.value;
      for (let i = 0; i < 600; i += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, k) => i + k).map((j) =>
            container.items.upsert({ id: String(start + j * hour), marketKey: 'sim:GOOG/USD', timeframe: '1h', openTimeMs: start + j * hour, open: s.open[j], high: s.high[j], low: s.low[j], close: s.close[j], volume: s.volume[j], storedAtMs: 0 }),
          ),
        );
      }
      cosmos.dispose();
      const res = await alice.post<JobSummaryView>('/api/backtests', {
        body: { strategy: 'sma-cross', data: { exchange: 'sim', symbol: 'GOOG/USD', timeframe: '1h', fromMs: start + 100 * hour, toMs: start + 500 * hour } },
      });
      expect(res.status).toBe(202);
      expect(res.body.source).toEqual({ kind: 'candles', exchange: 'sim', symbol: 'GOOG/USD', timeframe: '1h', fromMs: start + 100 * hour, toMs: start + 500 * hour, bars: null });
      const detail = await finished<BacktestDetailView>(alice, 'backtests', res.body.id);
      expect(detail.status).toBe('succeeded');
      expect(detail.source).toMatchObject({ bars: 400 });
      expect(detail.result!.equity.timeMs[0]).toBe(start + 100 * hour);
      const strategy = getStrategy('sma-cross');
      if (!strategy.ok) throw new Error('fixture');
      const slice = { length: 400, timeMs: Float64Array.from({ length: 400 }, (_, k) => start + (100 + k) * hour), open: s.open.slice(100, 500), high: s.high.slice(100, 500), low: s.low.slice(100, 500), close: s.close.slice(100, 500), volume: s.volume.slice(100, 500) };
      const direct = runBacktest(slice, strategy.value, strategy.value.paramsSchema.parse({}), DEFAULT_BACKTEST_CONFIG);
      expect(detail.stats).toEqual(JSON.parse(JSON.stringify(direct.stats)));
    });
  });

  describe('optimizations', () => {
    let detail: OptimizationDetailView;

    beforeAll(async () => {
      const res = await upload(alice, 'optimizations', {
        strategy: 'sma-cross',
        params: { allowShort: true },
        grid: [
          { name: 'fast', start: 5, end: 20, step: 5 },
          { name: 'slow', values: [20, 30, 40] },
        ],
        metric: 'returnPct',
      });
      expect(res.status).toBe(202);
      expect(res.body.progress).toEqual({ phase: 'queued', done: 0, total: 11 });
      detail = await finished<OptimizationDetailView>(alice, 'optimizations', res.body.id);
    });

    it('runs every valid combination and ranks them by the metric, best first', () => {
      expect(detail.status).toBe('succeeded');
      const result = detail.result!;
      expect(result.combinations).toBe(12);
      expect(result.skipped).toBe(1);
      expect(result.skippedExamples[0]!.values).toEqual({ fast: 20, slow: 20 });
      expect(result.runs).toHaveLength(11);
      const returns = result.runs.map((r) => r.stats.returnPct);
      expect(returns).toEqual([...returns].sort((a, b) => b - a));
      expect(result.runs.map((r) => r.rank)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
      expect(detail.stats).toEqual(result.runs[0]!.stats);
      expect(detail.grid).toEqual({ axes: [{ name: 'fast', values: [5, 10, 15, 20] }, { name: 'slow', values: [20, 30, 40] }], metric: 'returnPct' });
    });

    it('gives each run the statistics of the same backtest run alone', async () => {
      const run = detail.result!.runs.find((r) => r.values.fast === 10 && r.values.slow === 30)!;
      const single = await upload(alice, 'backtests', { strategy: 'sma-cross', params: { fast: 10, slow: 30, allowShort: true } });
      const alone = await finished<BacktestDetailView>(alice, 'backtests', single.body.id);
      expect(run.stats).toEqual(alone.stats);
    });

    it('refuses a grid over a parameter the strategy does not have', async () => {
      const res = await upload(alice, 'optimizations', { strategy: 'sma-cross', grid: [{ name: 'period', values: [1, 2] }] });
      expect(res.status).toBe(400);
      expect((res.body.error.details as { path: string; message: string }[])[0]).toEqual({ path: 'settings.grid.0.name', message: 'sma-cross has no parameter "period"; it has fast, slow, allowShort' });
    });

    it('refuses a grid in which no combination is valid', async () => {
      const res = await upload(alice, 'optimizations', { strategy: 'sma-cross', grid: [{ name: 'fast', values: [50] }, { name: 'slow', values: [20] }] });
      expect(res.status).toBe(400);
      expect((res.body.error.details as { path: string }[])[0]!.path).toBe('grid');
    });
  });

  describe('tenancy and deletion', () => {
    let aliceRun: JobSummaryView;
    let aliceGrid: JobSummaryView;

    beforeAll(async () => {
      aliceRun = await finished(alice, 'backtests', (await upload(alice, 'backtests', { strategy: 'ema-cross' })).body.id);
      aliceGrid = await finished(alice, 'optimizations', (await upload(alice, 'optimizations', { strategy: 'ema-cross', grid: [{ name: 'fast', values: [5, 8] }] })).body.id);
      // Bob has runs of his own, so an empty list is not the trivial answer.
      await finished(bob, 'backtests', (await upload(bob, 'backtests', { strategy: 'rsi-reversion' })).body.id);
    });

    it.each([
      ['GET /api/backtests/{id}', (as: ApiClient, id: string) => as.get(`/api/backtests/${id}`)],
      ['DELETE /api/backtests/{id}', (as: ApiClient, id: string) => as.delete(`/api/backtests/${id}`)],
    ])("answers 404 to another tenant's backtest on %s, exactly like a missing one", async (_route, call) => {
      const foreign = await call(bob, aliceRun.id);
      const missing = await call(bob, '0'.repeat(32));
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
    });

    it("answers 404 to another tenant's optimization and to a run on the other kind's route", async () => {
      expect((await bob.get(`/api/optimizations/${aliceGrid.id}`)).status).toBe(404);
      expect((await bob.delete(`/api/optimizations/${aliceGrid.id}`)).status).toBe(404);
      expect((await alice.get(`/api/optimizations/${aliceRun.id}`)).status).toBe(404);
      expect((await alice.get(`/api/backtests/${aliceGrid.id}`)).status).toBe(404);
    });

    it("never lists another tenant's runs", async () => {
      const runs = await bob.get<{ items: JobSummaryView[] }>('/api/backtests?limit=100');
      const grids = await bob.get<{ items: JobSummaryView[] }>('/api/optimizations?limit=100');
      expect(runs.body.items.length).toBeGreaterThan(0);
      expect(runs.body.items.map((j) => j.id)).not.toContain(aliceRun.id);
      expect(grids.body.items.map((j) => j.id)).not.toContain(aliceGrid.id);
    });

    it("leaves the first tenant's run unchanged after the other tenant's attempts", async () => {
      const res = await alice.get<BacktestDetailView>(`/api/backtests/${aliceRun.id}`);
      expect(res.status).toBe(200);
      expect(res.body.etag).toBe(aliceRun.etag);
    });

    it('pages the list newest first with a continuation token', async () => {
      const first = await alice.get<{ items: JobSummaryView[]; continuationToken: string | null }>('/api/backtests?limit=1');
      expect(first.body.items).toHaveLength(1);
      expect(first.body.continuationToken).not.toBeNull();
      const second = await alice.get<{ items: JobSummaryView[] }>(`/api/backtests?limit=1&continuation=${first.body.continuationToken}`);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0]!.createdAtMs).toBeLessThanOrEqual(first.body.items[0]!.createdAtMs);
      expect(second.body.items[0]!.id).not.toBe(first.body.items[0]!.id);
    });

    it('deletes a run with all its stored parts', async () => {
      const res = await alice.delete(`/api/backtests/${aliceRun.id}`);
      expect(res.status).toBe(204);
      expect((await alice.get(`/api/backtests/${aliceRun.id}`)).status).toBe(404);
      const cosmos = hostCosmosClient(host);
      const { resources } = await cosmos
        .database('tradingtower')
        .container('backtests')
        .items.query({ query: 'SELECT c.id FROM c WHERE c.jobId = @id', parameters: [{ name: '@id', value: aliceRun.id }] })
        .fetchAll();
      cosmos.dispose();
      expect(resources).toEqual([]);
    });
  });

  describe('API tokens', () => {
    it('lets a read token list and read runs but not start them; a trade token can', async () => {
      const read = alice.withToken((await alice.post<{ token: string }>('/api/tokens', { body: { name: 'reader', scopes: ['read'] } })).body.token);
      const trade = alice.withToken((await alice.post<{ token: string }>('/api/tokens', { body: { name: 'runner', scopes: ['read', 'trade'] } })).body.token);
      expect((await read.get('/api/backtests')).status).toBe(200);
      const refused = await upload(read, 'backtests', { strategy: 'sma-cross' });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      const accepted = await upload(trade, 'backtests', { strategy: 'sma-cross' });
      expect(accepted.status).toBe(202);
      expect((await finished(alice, 'backtests', accepted.body.id)).status).toBe('succeeded');
    });
  });
});
