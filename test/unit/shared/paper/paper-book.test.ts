import { bookFlatten, bookOnBar, bookOnTick, bookPlaceOrders, newBook, type PaperBookState } from '../../../../shared/paper/paper-book.js';
import { attachBot, barDone, newPaperAccount, receiveBars } from '../../../../shared/paper/paper-account.js';
import type { Bar } from '../../../../shared/trading/types.js';

const bar = (timeMs: number, open: number, high: number, low: number, close: number, volume = 1_000_000): Bar => ({ timeMs, open, high, low, close, volume });
const SETTINGS = { market: 'paper:X:1d', capital: 10_000, sizing: { mode: 'fraction' as const, value: 1 }, lotStep: 1, shortAllowed: false };
const EXEC = { feeRate: 0.001, fixedFee: 1, slippageBps: 10, maxVolumeShare: null };
const long = { kind: 'entry' as const, side: 'long' as const, type: 'market' as const, reason: 'test' };

function placed(book: PaperBookState, seq: number, intent: Parameters<typeof bookPlaceOrders>[1][number]['intent']): PaperBookState {
  return bookPlaceOrders(book, [{ clientOrderId: `bot-${seq}`, seq, intent }], 0).book;
}

describe('paper book', () => {
  it('fills a market order at the next open with slippage and fees, and reports it', () => {
    let book = bookOnBar(newBook('bot', SETTINGS, EXEC), bar(1, 100, 101, 99, 100))!.book;
    book = placed(book, 1, long);
    const step = bookOnBar(book, bar(2, 50, 51, 49, 50))!;
    const price = 50 * 1.001;
    expect(step.fills).toHaveLength(1);
    expect(step.fills[0]).toMatchObject({ fillId: 'bot-f1', clientOrderId: 'bot-1', side: 'buy', price, timeMs: 2, remaining: 0 });
    expect(step.fills[0]!.fee).toBeCloseTo(1 + step.fills[0]!.quantity * price * 0.001, 9);
    expect(step.orderUpdates.map((u) => u.status)).toEqual(['accepted', 'filled']);
    expect(step.view.positionSide).toBe(1);
  });

  it('never places a sequence number twice', () => {
    const book = bookOnBar(newBook('bot', SETTINGS, EXEC), bar(1, 100, 101, 99, 100))!.book;
    const once = bookPlaceOrders(book, [{ clientOrderId: 'bot-1', seq: 1, intent: long }], 0);
    const twice = bookPlaceOrders(once.book, [{ clientOrderId: 'bot-1', seq: 1, intent: long }], 0);
    expect(twice.duplicates).toEqual(['bot-1']);
    expect(twice.book).toBe(once.book);
    expect(bookOnBar(twice.book, bar(2, 100, 101, 99, 100))!.fills).toHaveLength(1);
  });

  it('ignores a bar that is not newer than the last', () => {
    const book = bookOnBar(newBook('bot', SETTINGS, EXEC), bar(5, 100, 101, 99, 100))!.book;
    expect(bookOnBar(book, bar(5, 100, 101, 99, 100))).toBeUndefined();
    expect(bookOnBar(book, bar(4, 100, 101, 99, 100))).toBeUndefined();
  });

  it('fills a limit order only when the price trades through it', () => {
    let book = bookOnBar(newBook('bot', SETTINGS, { ...EXEC, slippageBps: 0 }), bar(1, 100, 101, 99, 100))!.book;
    book = placed(book, 1, { ...long, type: 'limit', price: 95 });
    const touch = bookOnBar(book, bar(2, 100, 101, 95, 100))!;
    expect(touch.fills).toEqual([]);
    const through = bookOnBar(touch.book, bar(3, 100, 101, 94, 100))!;
    expect(through.fills[0]).toMatchObject({ price: 95, side: 'buy' });
  });

  it('fills partially when an order exceeds the configured share of bar volume, the rest on later bars', () => {
    let book = bookOnBar(newBook('bot', SETTINGS, { ...EXEC, maxVolumeShare: 0.1 }), bar(1, 100, 101, 99, 100, 200))!.book;
    book = placed(book, 1, long);
    const first = bookOnBar(book, bar(2, 100, 101, 99, 100, 200))!;
    expect(first.fills[0]).toMatchObject({ quantity: 20 });
    expect(first.fills[0]!.remaining).toBeGreaterThan(0);
    expect(first.orderUpdates.at(-1)?.status).toBe('partially-filled');
    const second = bookOnBar(first.book, bar(3, 100, 101, 99, 100, 1_000_000))!;
    expect(second.fills[0]!.quantity).toBe(first.fills[0]!.remaining);
    expect(second.orderUpdates.at(-1)?.status).toBe('filled');
  });

  it('flattens now at the last price (kill), cancelling working orders', () => {
    let book = bookOnBar(newBook('bot', SETTINGS, { ...EXEC, slippageBps: 0 }), bar(1, 100, 101, 99, 100))!.book;
    book = placed(book, 1, long);
    book = bookOnBar(book, bar(2, 100, 101, 99, 110))!.book;
    book = placed(book, 2, { kind: 'exit', type: 'limit', price: 200, reason: 'tp' });
    const flat = bookFlatten(book, { clientOrderId: 'bot-3', seq: 3 }, 7)!;
    expect(flat.fills[0]).toMatchObject({ side: 'sell', price: 110, reason: 'flatten', clientOrderId: 'bot-3' });
    expect(flat.orderUpdates.map((u) => `${u.clientOrderId}:${u.status}`)).toEqual(['bot-2:cancelled', 'bot-3:filled']);
    expect(flat.view).toMatchObject({ positionSide: 0, openOrders: [] });
    expect(bookFlatten(flat.book, { clientOrderId: 'bot-3', seq: 3 }, 8)).toBeUndefined();
  });

  it('fills market orders at the tick price when driven by ticks', () => {
    let book = bookOnBar(newBook('bot', SETTINGS, { ...EXEC, slippageBps: 0 }), bar(1, 100, 101, 99, 100))!.book;
    book = placed(book, 1, long);
    expect(bookOnTick(book, 101.5, 2).fills[0]).toMatchObject({ price: 101.5, side: 'buy' });
  });

  it('survives a JSON round trip between every bar', () => {
    let a = bookOnBar(newBook('bot', SETTINGS, EXEC), bar(1, 100, 101, 99, 100))!.book;
    a = placed(a, 1, { ...long, stopLoss: 90, trailingStop: 0.05 });
    let b = JSON.parse(JSON.stringify(a)) as PaperBookState;
    for (let t = 2; t < 40; t++) {
      const p = 100 + Math.sin(t) * 8;
      const x = bar(t, p, p + 2, p - 2, p + 1);
      a = bookOnBar(a, x)!.book;
      b = JSON.parse(JSON.stringify(bookOnBar(b, x)!.book)) as PaperBookState;
    }
    expect(JSON.parse(JSON.stringify(a))).toEqual(b);
  });
});

describe('paper account barrier', () => {
  it('hands the next bar to a bot only after it answered the previous one', () => {
    let account = newPaperAccount({ tenantId: 't', connectionId: 'c', currency: 'USD', startingBalance: 10_000, execution: EXEC });
    account = attachBot(account, 'b1', SETTINGS).state;
    account = attachBot(account, 'b2', SETTINGS).state;
    const received = receiveBars(account, SETTINGS.market, [bar(1, 1, 1, 1, 1), bar(2, 1, 1, 1, 1), bar(3, 1, 1, 1, 1)], 0, 0);
    expect(received.outbox.map((s) => `${s.botId}@${s.op === 'bar' ? s.input.bar.timeMs : ''}`)).toEqual(['b1@1', 'b2@1']);
    const one = barDone(received.state, 'b1', 1, [], 0);
    expect(one.outbox).toEqual([]);
    const both = barDone(one.state, 'b2', 1, [], 0);
    expect(both.outbox.map((s) => `${s.botId}@${s.op === 'bar' ? s.input.bar.timeMs : ''}`)).toEqual(['b1@2', 'b2@2']);
    expect(receiveBars(both.state, SETTINGS.market, [bar(2, 1, 1, 1, 1)], 0, 0).notes[0]).toMatch(/ignored/);
  });
});
