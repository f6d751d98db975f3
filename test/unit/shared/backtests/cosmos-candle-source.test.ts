import { CosmosCandleStore, openCandlesContainer } from '../../../../shared/adapters/market-data/cosmos-candle-store';
import { cosmosCandleSource } from '../../../../shared/backtests/cosmos-candle-source';
import type { CandleSourceRequest } from '../../../../shared/schemas/backtest-views';
import { startCosmosKit, type CosmosKit } from '../adapters/cosmos/cosmos-test-kit';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

describe('cosmosCandleSource', () => {
  let kit: CosmosKit;
  beforeAll(async () => {
    kit = await startCosmosKit();
    // Written the way the gateway writes them, so both sides must agree on the declared container and key.
    const store = new CosmosCandleStore(await openCandlesContainer(kit.client, 'candle-source'));
    const bars = Array.from({ length: 10 }, (_, i) => ({ openTimeMs: T0 + i * HOUR, open: i, high: i + 1, low: i - 1, close: i + 0.5, volume: 100 * i }));
    await store.deliver({ market: 'sim:GOOG/USD', exchange: 'sim', symbol: 'GOOG/USD', timeframe: '1h', bars });
  });
  afterAll(() => kit.stop());

  const request = (over: Partial<CandleSourceRequest> = {}): CandleSourceRequest => ({ exchange: 'sim', symbol: 'GOOG/USD', timeframe: '1h', fromMs: T0 + 2 * HOUR, toMs: T0 + 5 * HOUR, ...over });

  it('loads the bars the gateway stored with open time in [fromMs, toMs), oldest first', async () => {
    const loaded = await cosmosCandleSource(kit.client, 'candle-source').load(request(), 1000);
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(loaded.value.length).toBe(3);
    expect(Array.from(loaded.value.timeMs)).toEqual([T0 + 2 * HOUR, T0 + 3 * HOUR, T0 + 4 * HOUR]);
    expect(Array.from(loaded.value.close)).toEqual([2.5, 3.5, 4.5]);
  });

  it('answers NO_CANDLES for a market or timeframe without stored bars', async () => {
    const source = cosmosCandleSource(kit.client, 'candle-source');
    expect((await source.check(request())).ok).toBe(true);
    const otherTimeframe = await source.check(request({ timeframe: '1d' }));
    expect(otherTimeframe.ok ? undefined : otherTimeframe.error.code).toBe('VALIDATION.NO_CANDLES');
    const otherMarket = await source.load(request({ symbol: 'MSFT/USD' }), 1000);
    expect(otherMarket.ok ? undefined : otherMarket.error.code).toBe('VALIDATION.NO_CANDLES');
  });

  it('refuses a range with more bars than a run may read', async () => {
    const loaded = await cosmosCandleSource(kit.client, 'candle-source').load(request({ fromMs: T0, toMs: T0 + 10 * HOUR }), 5);
    expect(loaded.ok ? undefined : loaded.error.code).toBe('BACKTEST.TOO_MANY_BARS');
  });
});
