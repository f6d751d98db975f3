/**
 * Closed bars in the shared, non-tenant Cosmos `candles` container (market data is public), for
 * charts and strategy warm-up. Declared with the other containers (`CONTAINERS.candles`, scope
 * `market`): partition key [marketKey, timeframe], id = open time, so an upsert of the same bar is
 * idempotent and retries and backfills never duplicate. The latest stored bar seeds the gateway's
 * sequencer at start, so a restarted gateway backfills what it missed.
 */
import type { Container, CosmosClient } from '@azure/cosmos';
import { z } from 'zod';
import { CONTAINERS } from '../cosmos/cosmos-containers.js';
import { ensureDeclaredContainer } from '../cosmos/ensure-cosmos-schema.js';
import type { MarketKey } from '../../market/market-key.js';
import type { Bar } from '../../market/market-types.js';
import type { Timeframe } from '../../market/timeframes.js';
import type { BarBatch, BarSink } from './bar-sink.js';

export const candleDocumentSchema = z.object({
  id: z.string(),
  marketKey: z.string(),
  timeframe: z.string(),
  openTimeMs: z.number(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
  storedAtMs: z.number(),
});
export type CandleDocument = z.infer<typeof candleDocumentSchema>;

export interface CandleHistory {
  latest(market: MarketKey, timeframe: Timeframe): Promise<Bar | undefined>;
}

const UPSERT_CONCURRENCY = 16;

/**
 * Opens (creating when missing, from the declaration) the `candles` container. The gateway needs
 * no other container, so it does not create the tenant ones.
 */
export function openCandlesContainer(client: CosmosClient, databaseId: string): Promise<Container> {
  return ensureDeclaredContainer(client, databaseId, 'candles');
}

type CandlesKeyPath = (typeof CONTAINERS.candles.partitionKeyPaths)[number];
type FieldOf<P> = P extends `/${infer F}` ? F : never;
/** The document fields the declared partition key is made of (`marketKey`, `timeframe`). */
export type CandlesPartition = { readonly [P in CandlesKeyPath as FieldOf<P>]: string };

/** Partition key value of one market's bars of one timeframe, in the order `CONTAINERS.candles` declares. */
export function candlesPartitionKey(partition: CandlesPartition): string[] {
  return CONTAINERS.candles.partitionKeyPaths.map((path) => partition[path.slice(1) as FieldOf<CandlesKeyPath>]);
}

export class CosmosCandleStore implements BarSink, CandleHistory {
  readonly name = 'candles';
  private readonly containerSource: () => Promise<Container>;

  /** `container` may be a function, so a store can be built before Cosmos answers. */
  constructor(
    container: Container | (() => Promise<Container>),
    private readonly nowMs: () => number = () => Date.now(),
  ) {
    this.containerSource = typeof container === 'function' ? container : () => Promise.resolve(container);
  }

  async deliver(batch: BarBatch): Promise<void> {
    const storedAtMs = this.nowMs();
    const docs: CandleDocument[] = batch.bars.map((b) => ({
      id: String(b.openTimeMs),
      marketKey: batch.market,
      timeframe: batch.timeframe,
      openTimeMs: b.openTimeMs,
      open: b.open,
      high: b.high,
      low: b.low,
      close: b.close,
      volume: b.volume,
      storedAtMs,
    }));
    for (let i = 0; i < docs.length; i += UPSERT_CONCURRENCY) {
      const container = await this.containerSource();
      await Promise.all(docs.slice(i, i + UPSERT_CONCURRENCY).map((doc) => container.items.upsert(doc)));
    }
  }

  async latest(market: MarketKey, timeframe: Timeframe): Promise<Bar | undefined> {
    const container = await this.containerSource();
    const { resources } = await container.items
      .query({ query: 'SELECT TOP 1 * FROM c ORDER BY c.openTimeMs DESC' }, { partitionKey: candlesPartitionKey({ marketKey: market, timeframe }) })
      .fetchAll();
    const doc = resources[0] === undefined ? undefined : candleDocumentSchema.parse(resources[0]);
    return doc && { openTimeMs: doc.openTimeMs, open: doc.open, high: doc.high, low: doc.low, close: doc.close, volume: doc.volume };
  }

  /** Bars with open time in [fromMs, toMs], oldest first (charts). */
  async range(market: MarketKey, timeframe: Timeframe, fromMs: number, toMs: number): Promise<Bar[]> {
    const container = await this.containerSource();
    const { resources } = await container.items
      .query(
        {
          query: 'SELECT * FROM c WHERE c.openTimeMs >= @from AND c.openTimeMs <= @to ORDER BY c.openTimeMs ASC',
          parameters: [
            { name: '@from', value: fromMs },
            { name: '@to', value: toMs },
          ],
        },
        { partitionKey: candlesPartitionKey({ marketKey: market, timeframe }) },
      )
      .fetchAll();
    return resources.map((r) => {
      const doc = candleDocumentSchema.parse(r);
      return { openTimeMs: doc.openTimeMs, open: doc.open, high: doc.high, low: doc.low, close: doc.close, volume: doc.volume };
    });
  }
}
