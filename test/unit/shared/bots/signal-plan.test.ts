import type { SignalOrder } from '../../../../shared/bots/signal-order.js';
import { botSignalInputSchema } from '../../../../shared/bots/signal-order.js';
import { planSignal, type SignalPositionView } from '../../../../shared/bots/signal-plan.js';

const order = (o: Partial<SignalOrder> & Pick<SignalOrder, 'action'>): SignalOrder => ({
  size: null, orderType: 'market', price: null, stopLoss: null, takeProfit: null, marketPosition: null, comment: null, ...o,
});
const FLAT: SignalPositionView = { positionSide: 0, positionQty: 0, lastPrice: 100, openOrders: 0, shortAllowed: true };
const LONG: SignalPositionView = { ...FLAT, positionSide: 1, positionQty: 2 };
const SHORT: SignalPositionView = { ...FLAT, positionSide: -1, positionQty: 2 };
const OPTIONS = { reverseOnOpposite: false, signalId: 's1' };

describe('planSignal', () => {
  it('opens a long on buy when flat, with the size, protection and a reason naming the signal', () => {
    const plan = planSignal(order({ action: 'buy', size: { mode: 'quantity', value: 0.5 }, stopLoss: 90, takeProfit: 120, comment: 'TV' }), FLAT, OPTIONS);
    expect(plan).toEqual({
      kind: 'intents',
      intents: [{ kind: 'entry', side: 'long', type: 'market', sizing: { mode: 'quantity', value: 0.5 }, stopLoss: 90, takeProfit: 120, reason: 'webhook signal s1: buy 0.5 at market SL 90 TP 120 (TV)' }],
    });
  });

  it('leaves sizing to the bot when the signal names none', () => {
    const plan = planSignal(order({ action: 'long' }), FLAT, OPTIONS);
    expect(plan.kind === 'intents' && plan.intents[0]).toEqual({ kind: 'entry', side: 'long', type: 'market', reason: expect.any(String) });
  });

  it('closes a long on sell (whole, or the quantity asked for), and reverses with reverseOnOpposite', () => {
    expect(planSignal(order({ action: 'sell' }), LONG, OPTIONS)).toEqual({ kind: 'intents', intents: [{ kind: 'exit', type: 'market', reason: expect.any(String) }] });
    expect(planSignal(order({ action: 'sell', size: { mode: 'quantity', value: 0.5 } }), LONG, OPTIONS)).toEqual({
      kind: 'intents', intents: [{ kind: 'exit', type: 'market', quantity: 0.5, reason: expect.any(String) }],
    });
    const reversed = planSignal(order({ action: 'sell', size: { mode: 'quantity', value: 1 } }), LONG, { ...OPTIONS, reverseOnOpposite: true });
    expect(reversed.kind === 'intents' && reversed.intents[0]).toMatchObject({ kind: 'entry', side: 'short', sizing: { mode: 'quantity', value: 1 } });
  });

  it('covers a short on buy', () => {
    expect(planSignal(order({ action: 'buy' }), SHORT, OPTIONS)).toEqual({ kind: 'intents', intents: [{ kind: 'exit', type: 'market', reason: expect.any(String) }] });
  });

  it('opens a short on sell when flat only where shorts are allowed', () => {
    const plan = planSignal(order({ action: 'sell' }), FLAT, OPTIONS);
    expect(plan.kind === 'intents' && plan.intents[0]).toMatchObject({ kind: 'entry', side: 'short' });
    expect(planSignal(order({ action: 'sell' }), { ...FLAT, shortAllowed: false }, OPTIONS)).toMatchObject({ kind: 'rejected', code: 'SIGNAL.SHORT_NOT_ALLOWED' });
    expect(planSignal(order({ action: 'short' }), { ...FLAT, shortAllowed: false }, OPTIONS)).toMatchObject({ kind: 'rejected', code: 'SIGNAL.SHORT_NOT_ALLOWED' });
  });

  it('follows TradingView market_position: sell → flat closes, sell → short reverses with contracts minus the closed part', () => {
    expect(planSignal(order({ action: 'sell', marketPosition: 'flat', size: { mode: 'quantity', value: 2 } }), LONG, OPTIONS)).toEqual({
      kind: 'intents', intents: [{ kind: 'exit', type: 'market', reason: expect.any(String) }],
    });
    // TradingView reverses a 2-unit long to a 1-unit short with an order of 3 contracts.
    const reverse = planSignal(order({ action: 'sell', marketPosition: 'short', size: { mode: 'quantity', value: 3 } }), LONG, OPTIONS);
    expect(reverse.kind === 'intents' && reverse.intents[0]).toMatchObject({ kind: 'entry', side: 'short', sizing: { mode: 'quantity', value: 1 } });
    // buy while staying short: partial cover.
    const cover = planSignal(order({ action: 'buy', marketPosition: 'short', size: { mode: 'quantity', value: 0.5 } }), SHORT, OPTIONS);
    expect(cover.kind === 'intents' && cover.intents[0]).toMatchObject({ kind: 'exit', quantity: 0.5 });
    expect(planSignal(order({ action: 'sell', marketPosition: 'flat' }), FLAT, OPTIONS)).toMatchObject({ kind: 'nothing' });
  });

  it('exits only the matching side', () => {
    expect(planSignal(order({ action: 'exit_long' }), SHORT, OPTIONS)).toMatchObject({ kind: 'nothing', reason: expect.stringContaining('no long position') });
    expect(planSignal(order({ action: 'exit_short', size: { mode: 'fraction', value: 0.25 } }), SHORT, OPTIONS)).toMatchObject({
      kind: 'intents', intents: [{ kind: 'exit', quantity: 0.5 }],
    });
    expect(planSignal(order({ action: 'exit_long', size: { mode: 'notional', value: 50 } }), LONG, OPTIONS)).toMatchObject({
      kind: 'intents', intents: [{ kind: 'exit', quantity: 0.5 }],
    });
    expect(planSignal(order({ action: 'exit_long', size: { mode: 'notional', value: 50 } }), { ...LONG, lastPrice: null }, OPTIONS)).toMatchObject({ kind: 'rejected', code: 'SIGNAL.NO_PRICE' });
  });

  it('close and flat cancel working orders and close the position', () => {
    expect(planSignal(order({ action: 'close' }), { ...LONG, openOrders: 2 }, OPTIONS)).toEqual({
      kind: 'intents', intents: [{ kind: 'cancel', reason: expect.any(String) }, { kind: 'exit', type: 'market', reason: expect.any(String) }],
    });
    expect(planSignal(order({ action: 'flat' }), FLAT, OPTIONS)).toMatchObject({ kind: 'nothing' });
  });

  it('turns pause and resume into control commands', () => {
    expect(planSignal(order({ action: 'pause' }), LONG, OPTIONS)).toEqual({ kind: 'control', command: 'pause' });
    expect(planSignal(order({ action: 'resume' }), LONG, OPTIONS)).toEqual({ kind: 'control', command: 'resume' });
  });

  it('places limit orders at the price and refuses protection on the wrong side', () => {
    const limit = planSignal(order({ action: 'long', orderType: 'limit', price: 95, stopLoss: 90 }), FLAT, OPTIONS);
    expect(limit.kind === 'intents' && limit.intents[0]).toMatchObject({ type: 'limit', price: 95, stopLoss: 90 });
    expect(planSignal(order({ action: 'long', stopLoss: 110 }), FLAT, OPTIONS)).toMatchObject({ kind: 'rejected', code: 'SIGNAL.INVALID_PROTECTION' });
    expect(planSignal(order({ action: 'short', stopLoss: 90 }), FLAT, OPTIONS)).toMatchObject({ kind: 'rejected', code: 'SIGNAL.INVALID_PROTECTION' });
    expect(planSignal(order({ action: 'short', stopLoss: 110, takeProfit: 80 }), FLAT, OPTIONS).kind).toBe('intents');
  });
});

describe('botSignalInputSchema', () => {
  it('accepts the intake message and refuses extra or malformed fields', () => {
    const input = { signalId: 's1', actor: 'hook:s1', atMs: 1, test: false, order: order({ action: 'buy' }) };
    expect(botSignalInputSchema.safeParse(input).success).toBe(true);
    expect(botSignalInputSchema.safeParse({ ...input, extra: 1 }).success).toBe(false);
    expect(botSignalInputSchema.safeParse({ ...input, order: { ...input.order, size: { mode: 'quantity', value: -1 } } }).success).toBe(false);
  });
});
