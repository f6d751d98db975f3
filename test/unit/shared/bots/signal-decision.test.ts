/**
 * Real-world payload shapes, end to end through the pure layers: bytes → the intake's parser → the
 * bot's signal decision (plan + risk checks + client order ids) → the paper exchange's book → fills.
 */
import { parseBotConfig, type BotConfig } from '../../../../shared/bots/bot-config.js';
import { NEW_RUNNER_STATE, type BotRunnerState } from '../../../../shared/bots/bot-runner.js';
import type { PaperFill } from '../../../../shared/bots/execution-messages.js';
import { decideSignal, type SignalDecision } from '../../../../shared/bots/signal-decision.js';
import type { BotSignalInput } from '../../../../shared/bots/signal-order.js';
import { bookOnBar, bookOnTick, bookPlaceOrders, newBook, type PaperBookState } from '../../../../shared/paper/paper-book.js';
import { decodeSignalBody, signalMediaType } from '../../../../shared/signals/signal-body.js';
import { parsePlainTextSignal, parseSignalObject } from '../../../../shared/signals/signal-payload.js';
import { matchTicker } from '../../../../shared/signals/ticker-match.js';

const BOT = 'b0000000000000000000001';
const T0 = Date.UTC(2024, 0, 15, 14, 0, 0);

function config(extra: Record<string, unknown> = {}): BotConfig {
  const parsed = parseBotConfig({
    name: 'signals', connectionId: 'c1', market: { exchange: 'paper', symbol: 'BTC/USDT', timeframe: '1m' }, strategy: { id: 'signal', params: {} },
    sizing: { mode: 'quantity', value: 1 }, capital: 100_000, marketRules: { lotStep: 0.001, shortAllowed: true }, ...extra,
  });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

/** A running signal bot and its paper book after one bar at `price`. */
class PaperBot {
  book: PaperBookState;
  runner: BotRunnerState = NEW_RUNNER_STATE;
  fills: PaperFill[] = [];
  private n = 0;

  constructor(readonly cfg: BotConfig, price = 43_000) {
    this.book = newBook(BOT, { market: 'paper:BTC/USDT:1m', capital: cfg.capital ?? 0, sizing: cfg.sizing, lotStep: cfg.marketRules.lotStep, shortAllowed: cfg.marketRules.shortAllowed }, { feeRate: 0, fixedFee: 0, slippageBps: 0, maxVolumeShare: null });
    const first = bookOnBar(this.book, { timeMs: T0, open: price, high: price, low: price, close: price, volume: 1000 })!;
    this.book = first.book;
    this.runner = { ...this.runner, view: first.view, lastBarTimeMs: T0 };
  }

  /** The intake's parse of a raw alert, then the bot's decision, then the book (filled by the next tick). */
  send(raw: string, contentType: string, tickPrice: number, test = false): SignalDecision {
    const media = signalMediaType(contentType);
    if (!media.ok) throw new Error('media');
    const body = decodeSignalBody(Buffer.from(raw), media.value);
    if (!body.ok) throw new Error(body.error.message);
    const parsed = body.value.kind === 'text' ? parsePlainTextSignal(body.value.text) : parseSignalObject(body.value.value, 'json');
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(matchTicker(parsed.value.ticker, this.cfg.market.symbol).ok).toBe(true);
    const signal: BotSignalInput = { signalId: `s${++this.n}`, actor: `hook:s${this.n}`, atMs: T0 + this.n * 1000, test, order: parsed.value.order };
    const decision = decideSignal({ botId: BOT, status: 'running', config: this.cfg, runner: this.runner, openOrders: 0, signal });
    this.runner = decision.runner;
    const placed = bookPlaceOrders(this.book, decision.orders, signal.atMs);
    const ticked = bookOnTick(placed.book, tickPrice, signal.atMs + 1);
    this.book = ticked.book;
    this.fills.push(...ticked.fills);
    this.runner = { ...this.runner, view: ticked.view };
    return decision;
  }
}

const fill = (f: PaperFill) => ({ side: f.side, quantity: f.quantity, price: f.price, clientOrderId: f.clientOrderId });

describe('webhook signal → paper exchange', () => {
  it('fills a rendered TradingView strategy alert (buy → long) at the next price', () => {
    const bot = new PaperBot(config());
    const alert = JSON.stringify({
      secret: 'x', action: 'buy', ticker: 'BINANCE:BTCUSDT', quantity: '0.015', market_position: 'long', price: '43000',
      id: 'Long Entry-2024-01-15T14:00:00Z', timestamp: '2024-01-15T14:00:00Z', comment: 'Long Entry',
    });
    const decision = bot.send(alert, 'application/json', 43_100);
    expect(decision.orders).toEqual([{ clientOrderId: `${BOT}-1`, seq: 1, intent: expect.objectContaining({ kind: 'entry', side: 'long', type: 'market', sizing: { mode: 'quantity', value: 0.015 } }) }]);
    expect(bot.fills.map(fill)).toEqual([{ side: 'buy', quantity: 0.015, price: 43_100, clientOrderId: `${BOT}-1` }]);
    expect(bot.runner.view).toMatchObject({ positionSide: 1, positionQty: 0.015 });
  });

  it('closes with a TradingView strategy reversal alert sized as old + new contracts', () => {
    const bot = new PaperBot(config());
    bot.send(JSON.stringify({ action: 'buy', ticker: 'BTCUSDT', quantity: '2', market_position: 'long' }), 'application/json', 43_000);
    // Long 2 → short 1: TradingView sends sell 3 contracts with market_position short.
    bot.send(JSON.stringify({ action: 'sell', ticker: 'BTCUSDT', quantity: '3', market_position: 'short' }), 'application/json', 42_000);
    expect(bot.fills.map(fill)).toEqual([
      { side: 'buy', quantity: 2, price: 43_000, clientOrderId: `${BOT}-1` },
      { side: 'sell', quantity: 2, price: 42_000, clientOrderId: `${BOT}-2` },
      { side: 'sell', quantity: 1, price: 42_000, clientOrderId: `${BOT}-2` },
    ]);
    expect(bot.runner.view).toMatchObject({ positionSide: -1, positionQty: 1 });
  });

  it('fills the plain-text form, a percentage exit and close', () => {
    const bot = new PaperBot(config());
    bot.send('buy BTCUSDT 0.5', 'text/plain; charset=utf-8', 40_000);
    bot.send('sell BTC/USDT 50%', 'text/plain', 41_000);
    bot.send('close', 'text/plain', 42_000);
    expect(bot.fills.map(fill)).toEqual([
      { side: 'buy', quantity: 0.5, price: 40_000, clientOrderId: `${BOT}-1` },
      { side: 'sell', quantity: 0.25, price: 41_000, clientOrderId: `${BOT}-2` },
      { side: 'sell', quantity: 0.25, price: 42_000, clientOrderId: `${BOT}-3` },
    ]);
    expect(bot.runner.view).toMatchObject({ positionSide: 0 });
  });

  it('fills a 3Commas-style body sized in quote currency', () => {
    const bot = new PaperBot(config());
    bot.send(
      JSON.stringify({ secret: 'x', tv_exchange: 'BINANCE', tv_instrument: 'BTCUSDT', action: 'enter_long', trigger_price: '40000', order: { amount: '1000', currency_type: 'quote', order_type: 'market' } }),
      'application/json',
      40_000,
    );
    // 1000 USDT at the last price 43000 → 0.023 (lot 0.001, rounded down at the fill's price 40000 → 0.025).
    expect(bot.fills).toHaveLength(1);
    expect(bot.fills[0]).toMatchObject({ side: 'buy', price: 40_000 });
    expect(bot.fills[0]!.quantity * 40_000).toBeLessThanOrEqual(1000);
    expect(bot.fills[0]!.quantity * 40_000).toBeGreaterThan(1000 - 40);
  });

  it('places a limit order with stop-loss and take-profit that fills when the price trades through', () => {
    const bot = new PaperBot(config());
    const decision = bot.send(JSON.stringify({ action: 'long', ticker: 'BTCUSDT', quantity: 1, order_type: 'limit', price: 42_000, stop_loss: 41_000, take_profit: 45_000 }), 'application/json', 42_500);
    expect(decision.orders[0]!.intent).toMatchObject({ kind: 'entry', type: 'limit', price: 42_000, stopLoss: 41_000, takeProfit: 45_000 });
    expect(bot.fills).toEqual([]);
    const ticked = bookOnTick(bot.book, 41_900, T0 + 10_000);
    expect(ticked.fills.map(fill)).toEqual([{ side: 'buy', quantity: 1, price: 41_900, clientOrderId: `${BOT}-1` }]);
  });

  it('places nothing for a test alert, but runs the risk checks', () => {
    const bot = new PaperBot(config({ risk: { maxOrderNotional: 1000 } }));
    const ok = bot.send(JSON.stringify({ action: 'buy', quantity: 0.01 }), 'application/json', 43_000, true);
    expect(ok).toMatchObject({ orders: [], outcome: { code: 'SIGNAL.NOTHING_TO_DO' }, events: [{ type: 'decision', outcome: 'skipped', note: expect.stringContaining('dry run') }] });
    const tooBig = bot.send(JSON.stringify({ action: 'buy', quantity: 1 }), 'application/json', 43_000, true);
    expect(tooBig).toMatchObject({ orders: [], outcome: { code: 'RISK.MAX_ORDER_NOTIONAL' } });
    expect(bot.fills).toEqual([]);
    expect(bot.runner.seq).toBe(0);
  });

  it('denies an order a risk limit refuses, with the decision and the denial as events', () => {
    const bot = new PaperBot(config({ risk: { maxOrderNotional: 1000 } }));
    const decision = bot.send(JSON.stringify({ action: 'buy', quantity: 1 }), 'application/json', 43_000);
    expect(decision.orders).toEqual([]);
    expect(decision.outcome).toMatchObject({ code: 'RISK.MAX_ORDER_NOTIONAL' });
    expect(decision.events.map((e) => e.type)).toEqual(['decision', 'risk-denial']);
    expect(bot.fills).toEqual([]);
  });
});

describe('decideSignal', () => {
  const cfg = config();
  const signal = (action: BotSignalInput['order']['action']): BotSignalInput => ({
    signalId: 's1', actor: 'hook:s1', atMs: T0, test: false,
    order: { action, size: null, orderType: 'market', price: null, stopLoss: null, takeProfit: null, marketPosition: null, comment: null },
  });

  it('acts only when running or paused', () => {
    for (const status of ['draft', 'halted', 'stopping', 'stopped', 'faulted'] as const) {
      expect(decideSignal({ botId: BOT, status, config: cfg, runner: NEW_RUNNER_STATE, openOrders: 0, signal: signal('buy') })).toMatchObject({ orders: [], outcome: { code: 'SIGNAL.BOT_NOT_ACCEPTING' } });
    }
  });

  it('waits for a first price before trading', () => {
    expect(decideSignal({ botId: BOT, status: 'running', config: cfg, runner: NEW_RUNNER_STATE, openOrders: 0, signal: signal('buy') })).toMatchObject({ orders: [], outcome: { code: 'SIGNAL.NO_PRICE' } });
  });

  it('hands pause and resume back as commands, except for test alerts', () => {
    expect(decideSignal({ botId: BOT, status: 'running', config: cfg, runner: NEW_RUNNER_STATE, openOrders: 0, signal: signal('pause') })).toMatchObject({ control: 'pause', outcome: null });
    expect(decideSignal({ botId: BOT, status: 'running', config: cfg, runner: NEW_RUNNER_STATE, openOrders: 0, signal: { ...signal('pause'), test: true } })).toMatchObject({ control: null });
  });

  it('skips entries while paused and turns a reversal into an exit', () => {
    const bot = new PaperBot(cfg);
    bot.send(JSON.stringify({ action: 'long', quantity: 1 }), 'application/json', 43_000);
    const paused = decideSignal({ botId: BOT, status: 'paused', config: cfg, runner: bot.runner, openOrders: 0, signal: signal('short') });
    expect(paused.orders.map((o) => o.intent)).toEqual([expect.objectContaining({ kind: 'exit', type: 'market' })]);
    const entry = decideSignal({ botId: BOT, status: 'paused', config: cfg, runner: bot.runner, openOrders: 0, signal: signal('long') });
    expect(entry).toMatchObject({ orders: [], outcome: { code: 'SIGNAL.BOT_NOT_ACCEPTING' } });
  });
});
