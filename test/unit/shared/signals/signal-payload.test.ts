import { parsePlainTextSignal, parseSignalObject, plainTextToObject, type ParsedSignal } from '../../../../shared/signals/signal-payload.js';

function parsed(value: unknown): ParsedSignal {
  const result = parseSignalObject(value, 'json');
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

function problems(value: unknown): { path: string; message: string }[] {
  const result = parseSignalObject(value, 'json');
  if (result.ok) throw new Error('expected a validation failure');
  expect(result.error.code).toBe('VALIDATION.FAILED');
  return result.error.details as { path: string; message: string }[];
}

describe('parseSignalObject', () => {
  it('maps a TradingView strategy alert with rendered placeholders (numbers as quoted text)', () => {
    // Message template: {"action":"{{strategy.order.action}}","ticker":"{{exchange}}:{{ticker}}","quantity":"{{strategy.order.contracts}}",...}
    const signal = parsed({
      secret: 'ttp_x',
      action: 'buy',
      ticker: 'BINANCE:BTCUSDT',
      quantity: '0.015',
      price: '43250.5',
      market_position: 'long',
      id: 'Long Entry 2024-01-15T14:30:00Z',
      timestamp: '2024-01-15T14:30:00Z',
      comment: 'Long Entry',
      interval: '60',
      close: 43250.5,
    });
    expect(signal).toEqual({
      format: 'json',
      ticker: 'BINANCE:BTCUSDT',
      idempotencyKey: 'Long Entry 2024-01-15T14:30:00Z',
      timestampMs: Date.UTC(2024, 0, 15, 14, 30, 0),
      maxLagSeconds: null,
      order: {
        action: 'buy', size: { mode: 'quantity', value: 0.015 }, orderType: 'market', price: 43250.5, stopLoss: null, takeProfit: null,
        marketPosition: 'long', comment: 'Long Entry',
      },
    });
  });

  it('takes unquoted numbers, upper-case words and a limit order with protection', () => {
    const signal = parsed({ action: 'SELL', symbol: 'ETH/USDT', size_pct: 25, order_type: 'Limit', price: 2500, stop_loss: 2600, take_profit: 2300, max_lag: '60', timestamp: 1705329000 });
    expect(signal.order).toEqual({
      action: 'sell', size: { mode: 'fraction', value: 0.25 }, orderType: 'limit', price: 2500, stopLoss: 2600, takeProfit: 2300, marketPosition: null, comment: null,
    });
    expect(signal.timestampMs).toBe(1705329000 * 1000);
    expect(signal.maxLagSeconds).toBe(60);
  });

  it('reads timestamps in seconds, milliseconds and ISO 8601 with an offset', () => {
    expect(parsed({ action: 'close', timestamp: 1705329000123 }).timestampMs).toBe(1705329000123);
    expect(parsed({ action: 'close', timestamp: '1705329000' }).timestampMs).toBe(1705329000000);
    expect(parsed({ action: 'close', timestamp: '2024-01-15T15:30:00+01:00' }).timestampMs).toBe(Date.UTC(2024, 0, 15, 14, 30, 0));
  });

  it('maps a 3Commas signal-bot body (tv_exchange/tv_instrument, enter_long, order.amount in quote currency)', () => {
    const signal = parsed({
      secret: 'ttp_x',
      max_lag: '300',
      timestamp: '2024-01-15T14:30:00Z',
      trigger_price: '43250.5',
      tv_exchange: 'BINANCE',
      tv_instrument: 'BTCUSDT',
      action: 'enter_long',
      bot_uuid: 'd8e9c7a2-0000-4000-8000-000000000000',
      order: { amount: '100', currency_type: 'quote', order_type: 'market' },
    });
    expect(signal.format).toBe('3commas');
    expect(signal.ticker).toBe('BINANCE:BTCUSDT');
    expect(signal.order).toMatchObject({ action: 'long', size: { mode: 'notional', value: 100 }, orderType: 'market', price: 43250.5 });
    expect(parsed({ action: 'exit_short', tv_instrument: 'BTCUSDT', order: { amount: '50', currency_type: 'margin_percent' } }).order.size).toEqual({ mode: 'fraction', value: 0.5 });
    expect(parsed({ action: 'enter_short', tv_instrument: 'BTCUSDT', order: { amount: 2, currency_type: 'base', order_type: 'limit', price: '44000' } }).order).toMatchObject({
      action: 'short', size: { mode: 'quantity', value: 2 }, orderType: 'limit', price: 44000,
    });
  });

  it('accepts action aliases and separators (Exit-Long, close_long, enter_short)', () => {
    expect(parsed({ action: 'Exit-Long' }).order.action).toBe('exit_long');
    expect(parsed({ action: 'close_long' }).order.action).toBe('exit_long');
    expect(parsed({ action: ' exit short ' }).order.action).toBe('exit_short');
  });

  it('refuses unknown actions with the list of known ones', () => {
    expect(problems({ action: 'moon' })).toEqual([{ path: 'action', message: expect.stringContaining('use one of buy, sell, long, short, close, flat, exit_long, exit_short, pause, resume') }]);
    expect(problems({})).toEqual([{ path: 'action', message: expect.any(String) }]);
  });

  it.each([
    ['negative', -1, 'must be greater than 0'],
    ['zero', 0, 'must be greater than 0'],
    ['NaN text', 'NaN', 'must be a number'],
    ['Infinity text', 'Infinity', 'must be a number'],
    ['hex', '0x10', 'must be a number'],
    ['empty', '', 'must be a number'],
    ['a boolean', true, 'must be a number'],
    ['huge text', '1e400', 'must be a finite number'],
    ['infinite', Infinity, 'must be a number'],
  ])('refuses a %s quantity', (_label, quantity, message) => {
    expect(problems({ action: 'buy', quantity })).toEqual([{ path: 'quantity', message }]);
  });

  it('names an unrendered TradingView placeholder', () => {
    const found = problems({ action: '{{strategy.order.action}}', quantity: '{{strategy.order.contracts}}' });
    expect(found.map((p) => p.path).sort()).toEqual(['action', 'quantity']);
    expect(found.every((p) => p.message.includes('placeholder that was not rendered'))).toBe(true);
  });

  it('refuses more than one size, a limit without price, max_lag without timestamp and a size on close', () => {
    expect(problems({ action: 'buy', quantity: 1, notional: 100 })).toEqual([{ path: 'notional', message: expect.stringContaining('only one of') }]);
    expect(problems({ action: 'buy', order_type: 'limit' })).toEqual([{ path: 'price', message: 'is required for a limit order' }]);
    expect(problems({ action: 'buy', max_lag: 30 })).toEqual([{ path: 'max_lag', message: 'needs a timestamp to measure the lag from' }]);
    expect(problems({ action: 'close', quantity: 1 })).toEqual([{ path: 'quantity', message: expect.stringContaining('whole position') }]);
    expect(problems({ action: 'buy', size_pct: 150 })).toEqual([{ path: 'size_pct', message: expect.stringContaining('at most 100') }]);
  });

  it('refuses tickers that disagree and unknown fields', () => {
    expect(problems({ action: 'buy', symbol: 'BTCUSDT', ticker: 'ETHUSDT' })).toEqual([{ path: 'ticker', message: expect.stringContaining('different markets') }]);
    expect(problems({ action: 'buy', quantiy: 1 })).toEqual([{ path: 'quantiy', message: 'is not a known field' }]);
    expect(problems({ action: 'buy', order: { amount: 1, leverage: 5 } })).toEqual([{ path: 'order.leverage', message: 'is not a known field' }]);
  });

  it.each(["'; DROP TABLE bots; --", '<script>alert(1)</script>', '../../etc/passwd', 'BTC USDT'])('refuses the string %j as a ticker and as an id', (hostile) => {
    expect(problems({ action: 'buy', ticker: hostile }).map((p) => p.path)).toEqual(['ticker']);
    expect(problems({ action: 'buy', id: `${hostile};` }).map((p) => p.path)).toEqual(['id']);
  });

  it('keeps a hostile comment as inert text', () => {
    expect(parsed({ action: 'close', comment: "<script>alert(1)</script>'; DROP TABLE signals; --" }).order.comment).toBe("<script>alert(1)</script>'; DROP TABLE signals; --");
    expect(problems({ action: 'close', comment: 'a\u0000b' })).toEqual([{ path: 'comment', message: 'must not contain control characters' }]);
    expect(problems({ action: 'close', comment: 'a\uD800b' })).toEqual([{ path: 'comment', message: 'must be valid Unicode text' }]);
  });

  it('refuses bodies that are not objects', () => {
    for (const value of [null, [], 'buy', 42]) {
      const result = parseSignalObject(value, 'json');
      expect(result.ok).toBe(false);
    }
  });
});

describe('parsePlainTextSignal', () => {
  it('reads ACTION SYMBOL QUANTITY as TradingView users type it', () => {
    const signal = parsePlainTextSignal('buy BTCUSDT 0.5');
    expect(signal.ok && signal.value).toMatchObject({ format: 'text', ticker: 'BTCUSDT', order: { action: 'buy', size: { mode: 'quantity', value: 0.5 }, orderType: 'market' } });
  });

  it('reads a percentage, an exchange prefix, bare control words and key=value options', () => {
    const pct = parsePlainTextSignal('SELL BINANCE:ETHUSDT 25%');
    expect(pct.ok && pct.value.order.size).toEqual({ mode: 'fraction', value: 0.25 });
    const pause = parsePlainTextSignal('pause');
    expect(pause.ok && pause.value.order.action).toBe('pause');
    const limit = parsePlainTextSignal('long BTC/USDT 0.1 type=limit price=42000 sl=41000 tp=45000 id=abc-1 secret=ttp_zzz');
    expect(limit.ok && limit.value).toMatchObject({ idempotencyKey: 'abc-1', order: { action: 'long', orderType: 'limit', price: 42000, stopLoss: 41000, takeProfit: 45000 } });
    const noSymbol = parsePlainTextSignal('buy 2');
    expect(noSymbol.ok && noSymbol.value).toMatchObject({ ticker: null, order: { size: { mode: 'quantity', value: 2 } } });
  });

  it('reads a plain text alert rendered from placeholders ({{strategy.order.action}} {{ticker}} {{strategy.order.contracts}})', () => {
    const signal = parsePlainTextSignal('sell BTCUSDT 0.015\n');
    expect(signal.ok && signal.value.order).toMatchObject({ action: 'sell', size: { mode: 'quantity', value: 0.015 } });
  });

  it('refuses unknown words, extra positional words and unknown keys', () => {
    expect(parsePlainTextSignal('moon BTCUSDT').ok).toBe(false);
    expect(parsePlainTextSignal('buy BTCUSDT 1 2').ok).toBe(false);
    const unknown = plainTextToObject('buy BTCUSDT leverage=10');
    expect(!unknown.ok && unknown.error.details).toEqual([{ path: 'leverage', message: 'is not a known field' }]);
    expect(parsePlainTextSignal('buy BTCUSDT -1').ok).toBe(false);
    expect(parsePlainTextSignal(Array(20).fill('buy').join(' ')).ok).toBe(false);
  });
});
