import { matchTicker, tickerParts } from '../../../../shared/signals/ticker-match.js';

describe('tickerParts', () => {
  it('splits an exchange prefix and drops separators and a ccxt settlement suffix', () => {
    expect(tickerParts('BINANCE:BTCUSDT')).toEqual({ exchange: 'BINANCE', compact: 'BTCUSDT' });
    expect(tickerParts('btc/usdt')).toEqual({ exchange: null, compact: 'BTCUSDT' });
    expect(tickerParts('BTC/USDT:USDT')).toEqual({ exchange: null, compact: 'BTCUSDT' });
    expect(tickerParts('SIM-BTC/USD')).toEqual({ exchange: null, compact: 'SIMBTCUSD' });
  });
});

describe('matchTicker', () => {
  it.each(['BINANCE:BTCUSDT', 'BTCUSDT', 'BTC/USDT', 'btc-usdt', 'COINBASE:BTC_USDT'])('maps %s to the bot market BTC/USDT', (ticker) => {
    expect(matchTicker(ticker, 'BTC/USDT').ok).toBe(true);
  });

  it('accepts a signal without a ticker (the bot market is implied)', () => {
    expect(matchTicker(null, 'GOOG').ok).toBe(true);
  });

  it.each([
    ['BINANCE:ETHUSDT', 'BTC/USDT'],
    ['BTCUSD', 'BTC/USDT'],
    ['BTCUSDT.P', 'BTC/USDT'],
    ['NASDAQ:GOOGL', 'GOOG'],
  ])('rejects %s for a bot on %s with a reason naming both', (ticker, symbol) => {
    const result = matchTicker(ticker, symbol);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('SIGNAL.MARKET_MISMATCH');
    expect(result.error.message).toContain(ticker);
    expect(result.error.message).toContain(symbol);
    expect(result.error.details).toEqual([{ path: 'ticker', message: expect.stringContaining('does not match') }]);
  });
});
