import { CONTAINERS } from '../../../../../shared/adapters/cosmos/cosmos-containers';
import { ensureCosmosSchema } from '../../../../../shared/adapters/cosmos/ensure-cosmos-schema';
import { CosmosCandleStore, candlesPartitionKey, openCandlesContainer } from '../../../../../shared/adapters/market-data/cosmos-candle-store';
import type { Bar } from '../../../../../shared/market/market-types';
import { startCosmosKit, type CosmosKit } from '../cosmos/cosmos-test-kit';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const bar = (i: number): Bar => ({ openTimeMs: T0 + i * MINUTE, open: 100 + i, high: 101 + i, low: 99 + i, close: 100.5 + i, volume: 10 + i });

describe('CosmosCandleStore', () => {
  let kit: CosmosKit;
  beforeAll(async () => {
    kit = await startCosmosKit();
  });
  afterAll(() => kit.stop());

  it('opens the candles container from the declaration: id, partition key and indexing policy', async () => {
    const container = await openCandlesContainer(kit.client, 'candles-open');
    const { resource } = await container.read();
    expect(resource?.id).toBe(CONTAINERS.candles.id);
    expect(resource?.partitionKey?.paths).toEqual([...CONTAINERS.candles.partitionKeyPaths]);
    expect(resource?.indexingPolicy?.includedPaths?.map((p) => p.path)).toEqual(['/openTimeMs/?']);
  });

  it('builds the partition key in the declared order, from the document fields of the same names', () => {
    expect(candlesPartitionKey({ marketKey: 'sim:SIM-BTC/USD', timeframe: '1m' })).toEqual(['sim:SIM-BTC/USD', '1m']);
    expect(CONTAINERS.candles.partitionKeyPaths.map((p) => p.slice(1))).toEqual(['marketKey', 'timeframe']);
  });

  it('stores bars idempotently in their market partition and reads back the latest and a range', async () => {
    const container = await openCandlesContainer(kit.client, 'candles-store');
    const store = new CosmosCandleStore(() => Promise.resolve(container), () => 42);
    const bars = Array.from({ length: 5 }, (_, i) => bar(i));
    await store.deliver({ market: 'sim:SIM-BTC/USD', exchange: 'sim', symbol: 'SIM-BTC/USD', timeframe: '1m', bars });
    await store.deliver({ market: 'sim:SIM-BTC/USD', exchange: 'sim', symbol: 'SIM-BTC/USD', timeframe: '1m', bars: bars.slice(3) });
    await store.deliver({ market: 'sim:SIM-ETH/USD', exchange: 'sim', symbol: 'SIM-ETH/USD', timeframe: '1m', bars: [bar(9)] });

    const { resource } = await container.item(String(T0), ['sim:SIM-BTC/USD', '1m']).read<Record<string, unknown>>();
    expect(resource).toMatchObject({ ...bar(0), marketKey: 'sim:SIM-BTC/USD', timeframe: '1m', storedAtMs: 42 });
    expect(await store.latest('sim:SIM-BTC/USD', '1m')).toEqual(bar(4));
    expect(await store.latest('sim:SIM-BTC/USD', '5m')).toBeUndefined();
    expect(await store.range('sim:SIM-BTC/USD', '1m', T0 + MINUTE, T0 + 3 * MINUTE)).toEqual([bar(1), bar(2), bar(3)]);
    const { resources } = await container.items.query({ query: 'SELECT VALUE COUNT(1) FROM c' }).fetchAll();
    expect(resources).toEqual([6]);
  });

  it('works on the container ensureCosmosSchema created (the Functions app and the gateway share it)', async () => {
    const schema = await ensureCosmosSchema(kit.client, 'candles-shared');
    const store = new CosmosCandleStore(schema.marketContainers.candles);
    await store.deliver({ market: 'sim:SIM-AAPL', exchange: 'sim', symbol: 'SIM-AAPL', timeframe: '1h', bars: [bar(0)] });
    const reopened = new CosmosCandleStore(await openCandlesContainer(kit.client, 'candles-shared'));
    expect(await reopened.latest('sim:SIM-AAPL', '1h')).toEqual(bar(0));
  });
});
