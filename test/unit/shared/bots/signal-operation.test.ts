import { handleBotOperation, type BotEntityState } from '../../../../shared/bots/bot-operations.js';
import type { BookView } from '../../../../shared/bots/execution-messages.js';
import type { BotSignalInput } from '../../../../shared/bots/signal-order.js';
import { handleSignalOperation } from '../../../../shared/bots/signal-operation.js';

const TENANT = 'a'.repeat(32);
const BOT = 'b'.repeat(24);
const NOW = Date.UTC(2024, 0, 15, 14, 0, 0);
const VIEW: BookView = {
  positionSide: 0, positionQty: 0, positionEntryPrice: null, equity: 10_000, cash: 10_000, balance: 10_000, workingOrderTags: [], openOrders: [], lastPrice: 100, fillCount: 0, lastSeq: 0,
};

function run(state: BotEntityState | undefined, op: string, input: Record<string, unknown>): BotEntityState {
  const result = handleBotOperation(state, { tenantId: TENANT, botId: BOT }, op, { commandId: `${op}-1`, actor: 'user:x', atMs: NOW, ...input }, NOW);
  if (!result.ok || !result.value.state) throw new Error(`${op} failed`);
  return result.value.state;
}

function runningBot(withPrice = true): BotEntityState {
  const config = { name: 'sig', connectionId: 'c'.repeat(32), market: { exchange: 'paper', symbol: 'BTC/USDT', timeframe: '1m' }, strategy: { id: 'signal', params: {} }, sizing: { mode: 'quantity', value: 1 } };
  const created = run(undefined, 'create', { config });
  const started = run(created, 'start', { connection: { exchangeId: 'paper', mode: 'paper', paper: { startingBalance: { currency: 'USD', amount: 10_000 } } } });
  return withPrice ? { ...started, runner: { ...started.runner, view: VIEW, lastBarTimeMs: NOW - 60_000 } } : started;
}

const signal = (o: Partial<BotSignalInput['order']> & Pick<BotSignalInput['order'], 'action'>, extra: Partial<BotSignalInput> = {}): BotSignalInput => ({
  signalId: 's1', actor: 'hook:s1', atMs: NOW, test: false,
  order: { size: { mode: 'quantity', value: 2 }, orderType: 'market', price: null, stopLoss: null, takeProfit: null, marketPosition: null, comment: null, ...o },
  ...extra,
});

describe('handleSignalOperation', () => {
  it('sends the order to the account at once, records it as sent and remembers the signal', () => {
    const bot = runningBot();
    const result = handleSignalOperation(bot, signal({ action: 'buy' }), NOW + 5);
    if (!result.ok) throw new Error(result.error.message);
    const { state, signals, writes } = result.value;
    expect(signals).toEqual([
      { entity: 'account', key: `${TENANT}:${'c'.repeat(32)}`, op: 'orders', input: { botId: BOT, orders: [{ clientOrderId: `${BOT}-1`, seq: 1, intent: expect.objectContaining({ kind: 'entry', side: 'long', sizing: { mode: 'quantity', value: 2 } }) }] } },
    ]);
    expect(writes.orders).toEqual([expect.objectContaining({ id: `${BOT}-1`, status: 'sent' })]);
    expect(writes.events.map((e) => [e.type, e.data.signalId])).toEqual([['decision', 's1'], ['order', 's1']]);
    expect(writes.events.map((e) => e.seq)).toEqual([bot.eventSeq + 1, bot.eventSeq + 2]);
    expect(state!.openOrders[`${BOT}-1`]).toMatchObject({ status: 'sent' });
    expect(state!.recentCommandIds).toContain('s1');
    expect(state!.runner.seq).toBe(1);

    const again = handleSignalOperation(state!, signal({ action: 'buy' }), NOW + 6);
    expect(again.ok && again.value).toMatchObject({ state, signals: [], writes: { events: [], orders: [] } });
  });

  it('records why nothing was placed: a stopped bot, no price yet, a test alert', () => {
    const stopped = run(runningBot(), 'stop', { closePosition: false });
    for (const [state, input, code] of [
      [stopped, signal({ action: 'buy' }), 'SIGNAL.BOT_NOT_ACCEPTING'],
      [runningBot(false), signal({ action: 'buy' }), 'SIGNAL.NO_PRICE'],
      [runningBot(), signal({ action: 'buy' }, { test: true }), 'SIGNAL.NOTHING_TO_DO'],
    ] as const) {
      const result = handleSignalOperation(state, input, NOW);
      if (!result.ok) throw new Error(result.error.message);
      expect(result.value.signals).toEqual([]);
      expect(result.value.writes.orders).toEqual([]);
      expect(result.value.writes.events.at(-1)).toMatchObject({ type: 'decision', code, data: { signalId: 's1', outcome: 'skipped' } });
      expect(result.value.state!.runner.seq).toBe(0);
    }
  });

  it('records a risk denial as the strategy intents do', () => {
    const bot = runningBot();
    const tight = { ...bot, machine: { ...bot.machine, config: { ...bot.machine.config, risk: { ...bot.machine.config.risk, maxOrderNotional: 50 } } } };
    const result = handleSignalOperation(tight, signal({ action: 'buy' }), NOW);
    expect(result.ok && result.value.writes.events.map((e) => [e.type, e.code])).toEqual([
      ['decision', 'RISK.MAX_ORDER_NOTIONAL'],
      ['risk-denial', 'RISK.MAX_ORDER_NOTIONAL'],
      ['decision', 'RISK.MAX_ORDER_NOTIONAL'],
    ]);
  });

  it('refuses malformed input and does nothing for a bot that does not exist', () => {
    expect(handleSignalOperation(runningBot(), { signalId: 's1' }, NOW)).toMatchObject({ ok: false, error: { code: 'BOT.INVALID_INPUT' } });
    expect(handleSignalOperation(undefined, signal({ action: 'buy' }), NOW)).toMatchObject({ ok: true, value: { state: null, signals: [] } });
  });
});
