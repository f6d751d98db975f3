/**
 * Stored candles for runs on `{exchange, symbol, timeframe, fromMs, toMs}`: the market-data gateway
 * writes closed bars to the shared `candles` container (`CONTAINERS.candles`, scope `market`,
 * partition [marketKey, timeframe], see shared/adapters/market-data/cosmos-candle-store.ts); a run
 * reads the bars whose open time is in [fromMs, toMs), oldest first, within one partition.
 */
import type { Container, CosmosClient } from '@azure/cosmos';
import { appError, err, ok, type Result } from '../core/result.js';
import { candlesPartitionKey, openCandlesContainer } from '../adapters/market-data/cosmos-candle-store.js';
import { marketKey } from '../market/market-key.js';
import type { CandleSourceRequest } from '../schemas/backtest-views.js';
import type { BarSeries } from '../trading/types.js';
import { describeSource, noCandlesError, type CandleSource } from './candle-source.js';

const PAGE = 10_000;

interface CandleRow {
  readonly openTimeMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

const rangeFilter = 'c.openTimeMs >= @from AND c.openTimeMs < @to';
const params = (s: CandleSourceRequest) => [
  { name: '@from', value: s.fromMs },
  { name: '@to', value: s.toMs },
];
const partition = (s: CandleSourceRequest): string[] => candlesPartitionKey({ marketKey: marketKey({ exchange: s.exchange, symbol: s.symbol }), timeframe: s.timeframe });

export function cosmosCandleSource(client: CosmosClient, databaseId: string): CandleSource {
  let container: Promise<Container> | undefined;
  const open = (): Promise<Container> => {
    container ??= openCandlesContainer(client, databaseId);
    container.catch(() => (container = undefined));
    return container;
  };
  const none = (s: CandleSourceRequest) =>
    noCandlesError(`No stored candles for ${describeSource(s)}. The market-data gateway stores the bars of the markets it streams; upload a CSV for other data.`);

  return {
    async check(s) {
      const { resources } = await (await open()).items
        .query<number>({ query: `SELECT TOP 1 VALUE c.openTimeMs FROM c WHERE ${rangeFilter}`, parameters: params(s) }, { partitionKey: partition(s) })
        .fetchAll();
      return resources.length > 0 ? ok(undefined) : none(s);
    },

    async load(s, maxBars): Promise<Result<BarSeries>> {
      const c = await open();
      const { resources: counts } = await c.items
        .query<number>({ query: `SELECT VALUE COUNT(1) FROM c WHERE ${rangeFilter}`, parameters: params(s) }, { partitionKey: partition(s) })
        .fetchAll();
      const n = counts.reduce((a, b) => a + b, 0);
      if (n === 0) return none(s);
      if (n > maxBars) return err(appError('BACKTEST.TOO_MANY_BARS', `${n} stored candles for ${describeSource(s)}; a run reads at most ${maxBars}. Choose a shorter range.`));
      const series = { length: 0, timeMs: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
      const iterator = c.items.query<CandleRow>(
        { query: `SELECT c.openTimeMs, c.open, c.high, c.low, c.close, c.volume FROM c WHERE ${rangeFilter} ORDER BY c.openTimeMs ASC`, parameters: params(s) },
        { partitionKey: partition(s), maxItemCount: PAGE },
      );
      let at = 0;
      // Bars stored after the count are left out rather than overflowing the arrays.
      while (iterator.hasMoreResults() && at < n) {
        const page = await iterator.fetchNext();
        for (const row of page.resources) {
          if (at >= n) break;
          series.timeMs[at] = row.openTimeMs;
          series.open[at] = row.open;
          series.high[at] = row.high;
          series.low[at] = row.low;
          series.close[at] = row.close;
          series.volume[at] = row.volume;
          at++;
        }
      }
      const trim = (a: Float64Array): Float64Array => (at === n ? a : a.slice(0, at));
      return ok({ length: at, timeMs: trim(series.timeMs), open: trim(series.open), high: trim(series.high), low: trim(series.low), close: trim(series.close), volume: trim(series.volume) });
    },
  };
}
