import { createHttpDemandSource, demandKeyToMarket } from '../../../gateway/http-demand-source';

describe('HTTP market demand source', () => {
  it('turns market entity keys into gateway markets, dropping the timeframe and bad entries', async () => {
    let seenKey: string | undefined;
    const fetchStub: typeof fetch = (_url, init) => {
      seenKey = (init?.headers as Record<string, string>)['x-functions-key'];
      return Promise.resolve(Response.json({ markets: ['binance:BTC/USDT:1m', 'binance:BTC/USDT:5m', 'sim:SIM-AAPL', 'bad entry'] }));
    };
    const source = createHttpDemandSource({ url: 'http://127.0.0.1:7071/api/internal/markets', functionKey: 'fk', fetch: fetchStub });
    expect(await source.list()).toEqual(['binance:BTC/USDT', 'sim:SIM-AAPL']);
    expect(seenKey).toBe('fk');
  });

  it('fails on an error status or an unexpected body, so the gateway keeps its previous set', async () => {
    const answering = (res: Response) => createHttpDemandSource({ url: 'http://x/y', fetch: () => Promise.resolve(res) });
    await expect(answering(new Response('no', { status: 503 })).list()).rejects.toThrow('503');
    await expect(answering(Response.json({ wrong: true })).list()).rejects.toThrow();
  });

  it('keeps derivative symbols whose settle part is not a timeframe', () => {
    expect(demandKeyToMarket('binance:BTC/USDT:USDT')).toBe('binance:BTC/USDT:USDT');
    expect(demandKeyToMarket('binance:BTC/USDT:USDT:1h')).toBe('binance:BTC/USDT:USDT');
  });

  it('leaves out paper markets, whose bars are posted by their caller rather than streamed', () => {
    expect(demandKeyToMarket('paper:GOOG:1d')).toBeUndefined();
    expect(demandKeyToMarket('sim:SIM-BTC/USD:1m')).toBe('sim:SIM-BTC/USD');
  });
});
