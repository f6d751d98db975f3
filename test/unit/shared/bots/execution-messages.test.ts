import { marketKey, parseMarketEntityKey } from '../../../../shared/bots/execution-messages';

describe('marketKey', () => {
  it('keeps plain symbols readable', () => {
    expect(marketKey({ exchange: 'paper', symbol: 'GOOG', timeframe: '1d' })).toBe('paper:GOOG:1d');
  });

  it('escapes characters that would break an entity key in a URL path', () => {
    const key = marketKey({ exchange: 'sim', symbol: 'SIM-BTC/USD', timeframe: '1m' });
    expect(key).toBe('sim:SIM-BTC~2fUSD:1m');
    expect(key).not.toMatch(/[/?#%\s]/);
  });

  it('never maps two markets to one key', () => {
    const a = marketKey({ exchange: 'x', symbol: 'A/B', timeframe: '1m' });
    const b = marketKey({ exchange: 'x', symbol: 'A~2fB', timeframe: '1m' });
    const c = marketKey({ exchange: 'x:A', symbol: 'B', timeframe: '1m' });
    const d = marketKey({ exchange: 'x', symbol: 'A:B', timeframe: '1m' });
    expect(new Set([a, b, c, d]).size).toBe(4);
  });
});

describe('parseMarketEntityKey', () => {
  it('gives back the market of every key marketKey makes', () => {
    const markets = [
      { exchange: 'paper', symbol: 'GOOG', timeframe: '1d' },
      { exchange: 'sim', symbol: 'SIM-BTC/USD', timeframe: '1m' },
      { exchange: 'binance', symbol: 'BTC/USDT:USDT', timeframe: '4h' },
      { exchange: 'x', symbol: 'A~2fB', timeframe: '1m' },
    ];
    for (const market of markets) expect(parseMarketEntityKey(marketKey(market))).toEqual(market);
  });

  it('refuses keys marketKey never makes', () => {
    for (const key of ['paper:GOOG', 'a:b:c:d', 'sim:SIM-BTC/USD:1m', 'sim:A~zz:1m', '::1m']) expect(parseMarketEntityKey(key)).toBeUndefined();
  });
});
