/** The bot entity's behaviour (through the in-memory runtime): idempotency, stop, kill, pause. */
import { handleBotOperation } from '../../../../shared/bots/bot-operations.js';
import { botEntityKey } from '../../../../shared/bots/entity-keys.js';
import { loadReferenceSeries } from '../trading/backtest/reference-data.js';
import { botConfig, ExecutionSim, paperConnection, seriesBars, TENANT } from './execution-sim.js';

const GOOG = loadReferenceSeries('GOOG');
const MARKET = 'paper:GOOG:1d';

function started(): ExecutionSim {
  const sim = new ExecutionSim();
  sim.command('bot1', 'create', { config: botConfig() });
  sim.command('bot1', 'start', { connection: paperConnection() });
  return sim;
}

/** First bar index at which the sma-cross bot holds a position. */
function barsUntilLong(sim: ExecutionSim): number {
  for (let i = 0; i < 500; i++) {
    sim.postBars(MARKET, seriesBars(GOOG, i, i + 1));
    if (sim.bot('bot1').runner.view?.positionSide === 1) return i;
  }
  throw new Error('never long');
}

describe('bot entity operations', () => {
  it('ignores a command whose id it has seen', () => {
    const sim = started();
    const input = { commandId: 'same', actor: 'user:t', atMs: 1 };
    sim.signal('bot', botEntityKey(TENANT, 'bot1'), 'pause', input);
    sim.run();
    const events = sim.events.length;
    sim.signal('bot', botEntityKey(TENANT, 'bot1'), 'resume', input);
    sim.run();
    expect(sim.bot('bot1').machine.status).toBe('paused');
    expect(sim.events.length).toBe(events);
  });

  it('records a command that does not fit as command-rejected with BOT.INVALID_TRANSITION', () => {
    const sim = started();
    sim.command('bot1', 'resume');
    expect(sim.rejections).toEqual([{ key: botEntityKey(TENANT, 'bot1'), code: 'BOT.INVALID_TRANSITION' }]);
    expect(sim.eventsOf('bot1', 'command-rejected')[0]).toMatchObject({ code: 'BOT.INVALID_TRANSITION', data: { command: 'resume', details: { state: 'running' } } });
  });

  it('answers a re-delivered bar with the same orders, which the account then ignores as duplicates', () => {
    const sim = started();
    const i = barsUntilLong(sim);
    const bot = sim.bot('bot1');
    const entryBar = seriesBars(GOOG, i - 1, i)[0]!;
    // Re-deliver the bar whose close produced the entry: the bot must not decide again.
    const delivery = { botId: 'bot1', market: MARKET, bar: seriesBars(GOOG, i, i + 1)[0]!, receivedAtMs: 0, fills: [], orderUpdates: [], view: bot.runner.view! };
    const again = handleBotOperation(bot, { tenantId: TENANT, botId: 'bot1' }, 'bar', delivery, 0);
    expect(again.ok && again.value.signals).toEqual([{ entity: 'account', key: `${TENANT}:conn1`, op: 'barDone', input: { botId: 'bot1', barTimeMs: delivery.bar.timeMs, orders: bot.runner.lastAck!.orders } }]);
    expect(again.ok && again.value.writes.events).toEqual([]);
    expect(entryBar.timeMs).toBeLessThan(delivery.bar.timeMs);
    const seqBefore = sim.account('conn1').books.bot1!.lastSeq;
    sim.signal('account', `${TENANT}:conn1`, 'barDone', { botId: 'bot1', barTimeMs: delivery.bar.timeMs, orders: bot.runner.lastAck!.orders });
    sim.run();
    expect(sim.account('conn1').books.bot1!.lastSeq).toBe(seqBefore);
  });

  it('stop with closePosition exits at the next open, then stops and detaches', () => {
    const sim = started();
    barsUntilLong(sim);
    sim.command('bot1', 'stop', { closePosition: true });
    expect(sim.bot('bot1').machine.status).toBe('stopping');
    const exit = [...sim.orders.values()].at(-1)!;
    expect(exit.intent).toMatchObject({ kind: 'exit', type: 'market' });
    sim.postBars(MARKET, seriesBars(GOOG, 400, 401));
    expect(sim.bot('bot1').machine.status).toBe('stopped');
    expect(sim.orders.get(exit.id)?.status).toBe('filled');
    expect(sim.account('conn1').books.bot1?.attached).toBe(false);
    expect(sim.markets.get(MARKET)?.subscribers).toEqual({});
  });

  it('kill flattens at once at the last price and stops', () => {
    const sim = started();
    barsUntilLong(sim);
    const lastClose = sim.account('conn1').books.bot1!.lastPrice;
    sim.command('bot1', 'kill');
    const bot = sim.bot('bot1');
    expect(bot.machine.status).toBe('stopped');
    expect(bot.runner.view?.positionSide).toBe(0);
    const flatten = sim.eventsOf('bot1', 'fill').at(-1)!;
    expect(flatten.data).toMatchObject({ side: 'sell', price: lastClose, reason: 'flatten' });
  });

  it('paused: no new entries, exits still placed', () => {
    const sim = started();
    sim.command('bot1', 'pause');
    sim.postBars(MARKET, seriesBars(GOOG, 0, 400));
    expect(sim.orders.size).toBe(0);
    const skipped = sim.eventsOf('bot1', 'decision').filter((e) => e.data.outcome === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);

    const sim2 = started();
    barsUntilLong(sim2);
    sim2.command('bot1', 'pause');
    const before = sim2.orders.size;
    for (let i = 0; i < 500 && sim2.bot('bot1').runner.view?.positionSide !== 0; i++) sim2.postBars(MARKET, seriesBars(GOOG, 400 + i, 401 + i));
    expect(sim2.bot('bot1').runner.view?.positionSide).toBe(0);
    expect([...sim2.orders.values()].slice(before).every((o) => o.intent.kind === 'exit')).toBe(true);
  });

  it('keeps every record id unique and the event sequence gap-free', () => {
    const sim = started();
    sim.postBars(MARKET, seriesBars(GOOG, 0, 300));
    sim.postBars(MARKET, seriesBars(GOOG, 0, 300));
    const seqs = sim.eventsOf('bot1').map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(sim.equity.size).toBe(300);
  });

  it('reconciliation halts a bot whose account lost its orders, and is quiet when both agree', () => {
    const sim = started();
    sim.postBars(MARKET, seriesBars(GOOG, 0, 100));
    sim.signal('bot', botEntityKey(TENANT, 'bot1'), 'reconcile', { atMs: 1 });
    sim.run();
    expect(sim.eventsOf('bot1', 'reconcile')).toEqual([]);
    // Simulate a lost signal: the account forgets the bot's book.
    const account = sim.account('conn1');
    sim.accounts.set(`${TENANT}:conn1`, { ...account, books: {} });
    sim.signal('bot', botEntityKey(TENANT, 'bot1'), 'reconcile', { atMs: 2 });
    sim.run();
    expect(sim.eventsOf('bot1', 'reconcile')[0]).toMatchObject({ code: 'BOT.RECONCILE_MISMATCH' });
    expect(sim.bot('bot1').machine.status).toBe('halted');
  });

  it('isolates tenants: the same bot id in two tenants has two bots, books and accounts', () => {
    const sim = started();
    sim.command('bot1', 'create', { config: botConfig() }, 'b'.repeat(32));
    expect(sim.bots.size).toBe(2);
    expect(sim.bot('bot1', 'b'.repeat(32)).machine.status).toBe('draft');
    sim.postBars(MARKET, seriesBars(GOOG, 0, 50));
    expect(sim.bot('bot1', 'b'.repeat(32)).runner.barsProcessed).toBe(0);
    expect(sim.eventsOf('bot1', undefined, 'b'.repeat(32)).map((e) => e.type)).toEqual(['command', 'config-version', 'state-change']);
    expect(sim.accounts.has(`${'b'.repeat(32)}:conn1`)).toBe(false);
    expect(sim.bot('bot1').runner.barsProcessed).toBe(50);
  });
});

describe('bot order records', () => {
  it('carry the filled quantity, average price and fees of their fills, also when the fill follows the filled status', () => {
    const sim = started();
    for (let i = 0; i < 300; i++) sim.postBars(MARKET, seriesBars(GOOG, i, i + 1));
    const filled = [...sim.orders.values()].filter((o) => o.status === 'filled');
    expect(filled.length).toBeGreaterThan(2);
    for (const order of filled) {
      const fills = sim.eventsOf('bot1', 'fill').map((e) => e.data as { clientOrderId: string | null; quantity: number; price: number; fee: number }).filter((f) => f.clientOrderId === order.id);
      expect(fills.length).toBeGreaterThan(0);
      const quantity = fills.reduce((sum, f) => sum + f.quantity, 0);
      expect(order.filledQuantity).toBeCloseTo(quantity, 9);
      expect(order.averagePrice).toBeCloseTo(fills.reduce((sum, f) => sum + f.price * f.quantity, 0) / quantity, 9);
      expect(order.fees).toBeCloseTo(fills.reduce((sum, f) => sum + f.fee, 0), 9);
    }
  });
});

describe('bot config changes', () => {
  it('apply only when based on the current version: a second change from the same version is rejected with CONFLICT', () => {
    const sim = new ExecutionSim();
    sim.command('bot1', 'create', { config: botConfig() });
    sim.command('bot1', 'updateConfig', { config: botConfig({ name: 'first' }), expectedConfigVersion: 1 });
    sim.command('bot1', 'updateConfig', { config: botConfig({ name: 'second' }), expectedConfigVersion: 1 });
    expect(sim.bot('bot1').machine).toMatchObject({ configVersion: 2, config: { name: 'first' } });
    expect(sim.rejections).toEqual([{ key: botEntityKey(TENANT, 'bot1'), code: 'CONFLICT' }]);
    expect(sim.eventsOf('bot1', 'command-rejected')[0]).toMatchObject({ code: 'CONFLICT', data: { command: 'updateConfig', details: { reason: 'etag-mismatch' } } });
    sim.command('bot1', 'updateConfig', { config: botConfig({ name: 'third' }), expectedConfigVersion: 2 });
    expect(sim.bot('bot1').machine).toMatchObject({ configVersion: 3, config: { name: 'third' } });
  });
});
