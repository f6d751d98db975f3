import { internalBarsBodySchema } from '../../../../../functions/internal-bars';
import { BarRejectedError, type BarBatch } from '../../../../../shared/adapters/market-data/bar-sink';
import { createInternalBarsClient, internalBarsRequestBody } from '../../../../../shared/adapters/market-data/internal-bars-client';

const batch: BarBatch = {
  market: 'sim:SIM-BTC/USD',
  exchange: 'sim',
  symbol: 'SIM-BTC/USD',
  timeframe: '1m',
  bars: [
    { openTimeMs: 60_000, open: 10, high: 12, low: 9, close: 11, volume: 3 },
    { openTimeMs: 120_000, open: 11, high: 11, low: 11, close: 11, volume: 0 },
  ],
};

describe('internal bars client', () => {
  it('posts exactly the body the internal bars endpoint accepts', () => {
    const body = internalBarsRequestBody(batch);
    expect(internalBarsBodySchema.parse(body)).toEqual(body);
    expect(body.bars[0]).toEqual({ timeMs: 60_000, open: 10, high: 12, low: 9, close: 11, volume: 3 });
  });

  it('sends the function key and JSON to /api/internal/bars', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchStub: typeof fetch = (url, init) => {
      calls.push({ url: url instanceof Request ? url.url : url.toString(), init: init ?? {} });
      return Promise.resolve(new Response('{}', { status: 202 }));
    };
    await createInternalBarsClient({ baseUrl: 'http://127.0.0.1:7071/', functionKey: 'k1', fetch: fetchStub }).deliver(batch);
    expect(calls[0]!.url).toBe('http://127.0.0.1:7071/api/internal/bars');
    expect(calls[0]!.init.headers).toMatchObject({ 'x-functions-key': 'k1', 'content-type': 'application/json' });
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual(internalBarsRequestBody(batch));
  });

  it('treats a 400 as a permanent refusal and a 503 or 401 as worth retrying', async () => {
    const answering = (status: number) => {
      const fetchStub: typeof fetch = () => Promise.resolve(new Response('{"error":"x"}', { status }));
      return createInternalBarsClient({ baseUrl: 'http://x', fetch: fetchStub });
    };
    await expect(answering(400).deliver(batch)).rejects.toBeInstanceOf(BarRejectedError);
    for (const status of [401, 404, 500, 503]) {
      const failure = await answering(status).deliver(batch).catch((e: unknown) => e);
      expect([status, failure instanceof BarRejectedError, failure instanceof Error]).toEqual([status, false, true]);
    }
  });
});
