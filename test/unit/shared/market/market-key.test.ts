import { marketGroup, marketKey, marketKeySchema, marketOfGroup, parseMarketKey, parseMarketKeyList } from '../../../../shared/market/market-key';

describe('market keys and groups', () => {
  it('parses {exchange}:{symbol} keys with ccxt unified symbols', () => {
    expect(parseMarketKey('sim:SIM-BTC/USD')).toEqual({ ok: true, value: { exchange: 'sim', symbol: 'SIM-BTC/USD' } });
    expect(parseMarketKey('binance:BTC/USDT:USDT')).toEqual({ ok: true, value: { exchange: 'binance', symbol: 'BTC/USDT:USDT' } });
    expect(marketKey({ exchange: 'kraken', symbol: 'ETH/EUR' })).toBe('kraken:ETH/EUR');
  });

  it('refuses malformed keys with a stable code', () => {
    for (const bad of ['', 'sim', ':BTC', 'Sim:BTC', 'sim:', 'sim:BTC USD', 'sim:_X', `sim:${'A'.repeat(70)}`]) {
      const parsed = parseMarketKey(bad);
      expect(parsed.ok ? 'ok' : parsed.error.code).toBe('MARKET.INVALID_KEY');
    }
    expect(marketKeySchema.safeParse('nope').success).toBe(false);
  });

  it('names market groups md.{exchange}.{symbol} with / written as _ (Web PubSub cannot address / in paths)', () => {
    expect(marketGroup({ exchange: 'sim', symbol: 'SIM-BTC/USD' })).toBe('md.sim.SIM-BTC_USD');
    expect(marketOfGroup('md.sim.SIM-BTC_USD')).toEqual({ exchange: 'sim', symbol: 'SIM-BTC/USD' });
    expect(marketOfGroup('md.binance.BRK.B_USD')).toEqual({ exchange: 'binance', symbol: 'BRK.B/USD' });
    expect(marketOfGroup('tenant.x.bots')).toBeUndefined();
  });

  it('parses comma-separated lists, dropping blanks and repeats and reporting every bad entry', () => {
    expect(parseMarketKeyList(' sim:A , sim:B,,sim:A ')).toEqual({ ok: true, value: ['sim:A', 'sim:B'] });
    const bad = parseMarketKeyList('x,sim:A,y');
    expect(bad.ok ? [] : (bad.error.details as string[])).toHaveLength(2);
  });
});
