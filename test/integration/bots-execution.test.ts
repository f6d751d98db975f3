/**
 * The execution layer through the real local host (compiled app): bot, account and market entities,
 * POST /api/internal/bars, Cosmos records. Commands go to the bot entity through the durable HTTP API,
 * as the bots API will send them with df.getClient().signalEntity.
 */
import { runBacktest } from '../../shared/trading/backtest/backtest-engine';
import { parseBacktestConfig } from '../../shared/trading/backtest/backtest-config';
import type { BacktestResult, Trade } from '../../shared/trading/backtest/backtest-types';
import { getStrategy, parseStrategyParams } from '../../shared/trading/strategies/registry';
import type { BotEntityState } from '../../shared/bots/bot-operations';
import { VALID_IN, BOT_STATUSES, type BotStatus } from '../../shared/bots/bot-machine';
import { barsOf, BotsDriver } from '../support/bots-driver';
import { eventually, startLocalHost, tempDataDir, type LocalHost } from '../support/local-host';
import { loadReferenceSeries } from '../unit/shared/trading/backtest/reference-data';
import { sliceSeries } from '../unit/shared/bots/execution-sim';

const GOOG = loadReferenceSeries('GOOG');
const TENANT = '1'.repeat(32);
const OTHER = '2'.repeat(32);
const PAPER = { exchangeId: 'paper', mode: 'paper', paper: { startingBalance: { currency: 'USD', amount: 10_000 }, feeRate: 0.001, slippageBps: 2 } };

function config(symbol: string, connectionId: string, extra: Record<string, unknown> = {}) {
  return { name: `bot ${symbol}`, connectionId, market: { exchange: 'paper', symbol, timeframe: '1d' }, strategy: { id: 'sma-cross', params: { fast: 10, slow: 30 } }, ...extra };
}

function backtest(from: number, to: number): BacktestResult {
  const strategy = getStrategy('sma-cross');
  if (!strategy.ok) throw new Error('sma-cross');
  const params = parseStrategyParams(strategy.value, { fast: 10, slow: 30 });
  const cfg = parseBacktestConfig({ cash: 10_000, commission: { rate: 0.001 }, slippageBps: 2, shortAllowed: false });
  if (!params.ok || !cfg.ok) throw new Error('config');
  return runBacktest(sliceSeries(GOOG, from, to), strategy.value, params.value, cfg.value);
}

function expectedFills(trades: readonly Trade[], open: readonly Trade[]) {
  const fills: { timeMs: number; side: string; quantity: number; price: number }[] = [];
  for (const t of trades) {
    fills.push({ timeMs: t.entryTimeMs, side: 'buy', quantity: t.quantity, price: t.entryPrice });
    fills.push({ timeMs: t.exitTimeMs, side: 'sell', quantity: t.quantity, price: t.exitPrice });
  }
  for (const t of open) fills.push({ timeMs: t.entryTimeMs, side: 'buy', quantity: t.quantity, price: t.entryPrice });
  return fills.sort((a, b) => a.timeMs - b.timeMs);
}

/** Bars reach a bot only once the market knows it and its account has its book attached. */
async function waitAttached(driver: BotsDriver, botId: string, connectionId: string, market: string): Promise<void> {
  await eventually(async () => {
    const index = await driver.state<{ subscribers: Record<string, unknown> }>('market', market);
    const account = await driver.account(TENANT, connectionId);
    return index?.subscribers[`${TENANT}:${botId}`] && account?.books[botId]?.attached ? true : undefined;
  });
}

const fillShape = (data: Record<string, unknown>) => ({ timeMs: data.timeMs, side: data.side, quantity: data.quantity, price: data.price });

describe('bots execution (local host)', () => {
  let host: LocalHost;
  let driver: BotsDriver;
  const dataDir = tempDataDir('tt-bots-');

  beforeAll(async () => {
    host = await startLocalHost({ dataDir });
    driver = new BotsDriver(host);
  });
  afterAll(async () => {
    await host.stop();
  });

  it('runs a paper sma-cross bot on 300 GOOG bars with the fills and final equity of the backtester, then stops it', async () => {
    await driver.command(TENANT, 'goog', 'create', { config: config('GOOG', 'paper1') });
    await driver.command(TENANT, 'goog', 'start', { connection: PAPER });
    await waitAttached(driver, 'goog', 'paper1', 'paper:GOOG:1d');
    const bars = barsOf(GOOG, 0, 300);
    const posted = await driver.postBars({ exchange: 'paper', symbol: 'GOOG', timeframe: '1d' }, bars);
    expect(posted.status).toBe(202);
    const state = await driver.waitForBar(TENANT, 'goog', bars[299]!.timeMs);

    const result = backtest(0, 300);
    expect(result.trades.length).toBeGreaterThan(2);
    const fills = (await driver.events(TENANT, 'goog', 'fill')).map((e) => fillShape(e.data));
    expect(fills).toEqual(expectedFills(result.trades, result.openTrades ?? []));
    expect(state.runner.view?.equity).toBe(result.equity[299]);
    const equity = await driver.container('botEquity').items.query<{ equity: number }>('SELECT c.equity FROM c ORDER BY c.barTimeMs', { partitionKey: [TENANT, 'goog'] }).fetchAll();
    expect(equity.resources.map((r) => r.equity)).toEqual(Array.from(result.equity));

    await driver.command(TENANT, 'goog', 'stop', { closePosition: false });
    await eventually(async () => ((await driver.account(TENANT, 'paper1'))?.books.goog?.attached === false ? true : undefined));
    const doc = await driver.container('bots').item('goog', [TENANT, 'goog']).read<{ status: string; configVersion: number }>();
    expect(doc.resource).toMatchObject({ status: 'stopped', configVersion: 1 });
  });

  it('guards POST /api/internal/bars with the function key and validates the batch', async () => {
    const market = { exchange: 'paper', symbol: 'VAL', timeframe: '1d' };
    const good = barsOf(GOOG, 0, 2);
    expect((await driver.postBars(market, good, 'wrong-key')).status).toBe(401);
    const cases: [unknown, string][] = [
      [{ ...market, bars: [] }, 'bars'],
      [{ ...market, timeframe: '7m', bars: good }, 'timeframe'],
      [{ ...market, bars: [{ ...good[0]!, high: 1 }] }, 'bars.0'],
      [{ ...market, bars: [good[0], good[0]] }, 'bars'],
      [{ ...market, bars: good, extra: true }, 'extra'],
    ];
    for (const [body, path] of cases) {
      const res = await fetch(`${host.baseUrl}/api/internal/bars`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-functions-key': host.functionKey }, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      const error = ((await res.json()) as { error: { code: string; details: { path: string }[] } }).error;
      expect(error.code).toBe('VALIDATION.FAILED');
      expect(error.details.map((d) => d.path)).toContain(path);
    }
    const accepted = await driver.postBars(market, [good[1]!, good[0]!]);
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ market: 'paper:VAL:1d', accepted: 2, fromMs: good[0]!.timeMs, toMs: good[1]!.timeMs });
    const slashed = await driver.postBars({ exchange: 'sim', symbol: 'SIM-BTC/USD', timeframe: '1d' }, good);
    expect(slashed.status).toBe(202);
    expect(((await slashed.json()) as { market: string }).market).toBe('sim:SIM-BTC~2fUSD:1d');
  });

  it('changes nothing when the same bars are posted again', async () => {
    await driver.command(TENANT, 'goog', 'start', { connection: PAPER });
    await waitAttached(driver, 'goog', 'paper1', 'paper:GOOG:1d');
    const before = { bot: (await driver.bot(TENANT, 'goog'))!, events: await driver.events(TENANT, 'goog'), orders: await driver.count('botOrders', TENANT, 'goog') };
    const market = { exchange: 'paper', symbol: 'GOOG', timeframe: '1d' };
    expect((await driver.postBars(market, barsOf(GOOG, 0, 300))).status).toBe(202);
    expect((await driver.postBars(market, barsOf(GOOG, 150, 300))).status).toBe(202);
    // One new bar behind the re-posts on the same path: once the bot has it, the re-posts were handled.
    const next = barsOf(GOOG, 300, 301);
    await driver.postBars(market, next);
    const after = await driver.waitForBar(TENANT, 'goog', next[0]!.timeMs);
    expect(after.runner.barsProcessed).toBe(before.bot.runner.barsProcessed + 1);
    const events = await driver.events(TENANT, 'goog');
    const old = events.filter((e) => e.seq <= before.bot.eventSeq);
    expect(old).toEqual(before.events);
    const added = events.filter((e) => e.seq > before.bot.eventSeq);
    expect(added.every((e) => e.barTimeMs === next[0]!.timeMs)).toBe(true);
    expect(await driver.count('botEquity', TENANT, 'goog')).toBe(301);
    expect(backtest(0, 301).trades.length).toBe(backtest(0, 300).trades.length);
    expect(await driver.count('botOrders', TENANT, 'goog')).toBe(before.orders + added.filter((e) => e.type === 'order').length);
  });

  it('answers every command that does not fit the state with BOT.INVALID_TRANSITION and the current state', async () => {
    const botId = 'matrix';
    await driver.command(OTHER, botId, 'create', { config: config('MTX', 'paper2') });
    const commands: Record<string, Record<string, unknown>> = {
      start: { connection: PAPER }, pause: {}, resume: {}, stop: { closePosition: false }, kill: {}, halt: { message: 'admin halt' }, resetFault: {}, delete: {},
    };
    const reach: Partial<Record<BotStatus, (() => Promise<void>)[]>> = {
      draft: [],
      running: [() => driver.command(OTHER, botId, 'start', { connection: PAPER })],
      paused: [() => driver.command(OTHER, botId, 'pause')],
      halted: [() => driver.command(OTHER, botId, 'halt', { message: 'by test' })],
      stopped: [() => driver.command(OTHER, botId, 'stop', { closePosition: false })],
    };
    const checked: string[] = [];
    for (const status of ['draft', 'running', 'paused', 'halted', 'stopped'] as BotStatus[]) {
      for (const step of reach[status] ?? []) await step();
      await eventually(async () => ((await driver.bot(OTHER, botId))?.machine.status === status ? true : undefined));
      const invalid = Object.keys(commands).filter((c) => !(VALID_IN as Record<string, readonly string[]>)[c]!.includes(status));
      const seqBefore = (await driver.bot(OTHER, botId))!.eventSeq;
      for (const c of invalid) await driver.command(OTHER, botId, c, commands[c]);
      const rejected = await eventually(async () => {
        const events = (await driver.events(OTHER, botId, 'command-rejected')).filter((e) => e.seq > seqBefore);
        return events.length === invalid.length ? events : undefined;
      });
      for (const e of rejected) {
        expect(e.code).toBe('BOT.INVALID_TRANSITION');
        expect(e.data.details).toMatchObject({ state: status });
        checked.push(`${status}:${String(e.data.command)}`);
      }
      expect((await driver.bot(OTHER, botId))!.machine.status).toBe(status);
    }
    expect(checked.length).toBeGreaterThan(20);
    expect(BOT_STATUSES).toContain('faulted'); // faulted and stopping: see the reducer's unit tests for the full matrix
  });

  it('denies an order over the max order notional and halts on the drawdown limit, with both events recorded', async () => {
    await driver.command(TENANT, 'risky', 'create', { config: config('RSK', 'paper3', { risk: { maxOrderNotional: 5_000 } }) });
    await driver.command(TENANT, 'risky', 'start', { connection: PAPER });
    await waitAttached(driver, 'risky', 'paper3', 'paper:RSK:1d');
    const bars = barsOf(GOOG, 0, 120);
    await driver.postBars({ exchange: 'paper', symbol: 'RSK', timeframe: '1d' }, bars);
    await driver.waitForBar(TENANT, 'risky', bars[119]!.timeMs);
    const denials = await driver.events(TENANT, 'risky', 'risk-denial');
    expect(denials.length).toBeGreaterThan(0);
    expect(denials[0]).toMatchObject({ code: 'RISK.MAX_ORDER_NOTIONAL' });
    expect(denials[0]!.message).toMatch(/exceeds the limit of 5,000/);
    expect(await driver.count('botOrders', TENANT, 'risky')).toBe(0);

    // Tighten while running (allowed), then let a long position meet a falling market.
    await driver.command(TENANT, 'risky', 'updateConfig', { config: config('RSK', 'paper3', { risk: { maxOrderNotional: 4_000 } }) });
    await driver.command(TENANT, 'risky', 'stop', { closePosition: false });
    await eventually(async () => ((await driver.account(TENANT, 'paper3'))?.books.risky?.attached === false ? true : undefined));
    await driver.command(TENANT, 'risky', 'updateConfig', { config: config('RSK', 'paper3', { risk: { maxDrawdownPct: 1 } }) });
    await driver.command(TENANT, 'risky', 'start', { connection: PAPER });
    await waitAttached(driver, 'risky', 'paper3', 'paper:RSK:1d');
    const more = barsOf(GOOG, 120, 400);
    await driver.postBars({ exchange: 'paper', symbol: 'RSK', timeframe: '1d' }, more);
    const halted = await eventually(async () => {
      const s = await driver.bot(TENANT, 'risky');
      return s?.machine.status === 'halted' ? s : undefined;
    }, 60_000);
    expect(halted.machine.reason?.code).toBe('RISK.MAX_DRAWDOWN');
    const drawdown = (await driver.events(TENANT, 'risky', 'risk-denial')).filter((e) => e.code === 'RISK.MAX_DRAWDOWN');
    expect(drawdown).toHaveLength(1);
    const versions = await driver.events(TENANT, 'risky', 'config-version');
    expect(versions.map((v) => v.data.version)).toEqual([1, 2, 3]);
  });

  it('after kill -9 in the middle of a bar batch and a restart, re-posting the bars loses and duplicates no order and the bot resumes', async () => {
    await driver.command(TENANT, 'crash', 'create', { config: config('CRSH', 'paper4') });
    await driver.command(TENANT, 'crash', 'start', { connection: PAPER });
    await waitAttached(driver, 'crash', 'paper4', 'paper:CRSH:1d');
    const market = { exchange: 'paper', symbol: 'CRSH', timeframe: '1d' };
    const bars = barsOf(GOOG, 0, 700);
    await driver.postBars(market, bars.slice(0, 600));
    await eventually(async () => {
      const s = await driver.bot(TENANT, 'crash');
      return s && s.runner.barsProcessed >= 150 ? true : undefined;
    });
    await host.kill9();
    host = await startLocalHost({ dataDir });
    driver = new BotsDriver(host);
    const resumedAt = (await driver.bot(TENANT, 'crash'))!.runner.barsProcessed;
    expect(resumedAt).toBeLessThan(600); // the crash did interrupt the batch
    await driver.postBars(market, bars.slice(0, 600));
    await driver.postBars(market, bars.slice(600, 700));
    const state = await driver.waitForBar(TENANT, 'crash', bars[699]!.timeMs, 90_000);
    expect(state.machine.status).toBe('running');
    expect(state.runner.barsProcessed).toBe(700);

    const result = backtest(0, 700);
    const fills = (await driver.events(TENANT, 'crash', 'fill')).map((e) => fillShape(e.data));
    expect(fills).toEqual(expectedFills(result.trades, result.openTrades ?? []));
    expect(state.runner.view?.equity).toBe(result.equity[699]);
    const orders = await driver.container('botOrders').items.query<{ id: string; seq: number }>('SELECT c.id, c.seq FROM c ORDER BY c.seq', { partitionKey: [TENANT, 'crash'] }).fetchAll();
    expect(orders.resources.map((o) => o.seq)).toEqual(orders.resources.map((_, i) => i + 1));
    expect(orders.resources.length).toBe(state.runner.seq);
    const events = await driver.events(TENANT, 'crash');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const account = await driver.account(TENANT, 'paper4');
    expect(account?.books.crash?.lastSeq).toBe(state.runner.seq);
  });

  it('reconciles running bots every minute and finds nothing to repair when bot and account agree', async () => {
    const before = (await driver.account(TENANT, 'paper4'))?.books.crash?.lastReconcileAtMs ?? 0;
    // The timer's signal reaches the bot, the bot asks the account, the account answers the bot.
    const answeredAtMs = await eventually(async () => {
      const at = (await driver.account(TENANT, 'paper4'))?.books.crash?.lastReconcileAtMs;
      return at && at > before ? at : undefined;
    }, 75_000, 250);
    await eventually(async () => {
      const res = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/entities/bot?top=100`);
      const list = (await res.json()) as { entityId: { key: string }; lastOperationTime: string }[];
      const crash = list.find((e) => e.entityId.key === `${TENANT}:crash`);
      return crash && Date.parse(crash.lastOperationTime) >= answeredAtMs ? true : undefined;
    });
    expect(host.logs.filter((l) => /reconcile/.test(l) && /error|fail/i.test(l))).toEqual([]);
    expect(await driver.events(TENANT, 'crash', 'reconcile')).toEqual([]);
    expect((await driver.bot(TENANT, 'crash'))?.machine.status).toBe('running');
  });
});

export type { BotEntityState };
