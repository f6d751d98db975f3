/**
 * Market demand read over HTTP: `GET <url>` (function key in `x-functions-key`) answering
 * `{"markets": ["sim:SIM-BTC/USD", "binance:BTC/USDT:1m", …]}`. Entries may carry the bots' timeframe
 * suffix (`{exchange}:{symbol}:{timeframe}`, the market entity key); the gateway builds every timeframe
 * of a market anyway, so it is dropped. Meant for a Functions endpoint over the bots layer's market
 * subscription index (one `market` entity per market key).
 */
import { z } from 'zod';
import { marketKey, parseMarketKey, type MarketKey } from '../shared/market/market-key.js';
import { isTimeframe } from '../shared/market/timeframes.js';
import type { MarketDemandSource } from './market-demand.js';

const responseSchema = z.object({ markets: z.array(z.string().max(120)).max(10_000) });

export interface HttpDemandSourceOptions {
  readonly url: string;
  readonly functionKey?: string | undefined;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * Bots on `paper` markets are fed by bars their caller posts (tests, replays): there is no stream to
 * watch, so the gateway leaves them out instead of retrying an exchange that does not exist.
 */
const UNSTREAMED_EXCHANGES = new Set(['paper']);

/** `binance:BTC/USDT:1m` → `binance:BTC/USDT`; keys without a timeframe pass through; undefined: not watchable. */
export function demandKeyToMarket(entry: string): MarketKey | undefined {
  const last = entry.lastIndexOf(':');
  const withoutTimeframe = last > 0 && isTimeframe(entry.slice(last + 1)) ? entry.slice(0, last) : entry;
  const parsed = parseMarketKey(withoutTimeframe);
  return parsed.ok && !UNSTREAMED_EXCHANGES.has(parsed.value.exchange) ? marketKey(parsed.value) : undefined;
}

export function createHttpDemandSource(options: HttpDemandSourceOptions): MarketDemandSource {
  const doFetch = options.fetch ?? fetch;
  return {
    name: `GET ${new URL(options.url).pathname}`,
    async list() {
      const res = await doFetch(options.url, {
        headers: options.functionKey ? { 'x-functions-key': options.functionKey } : {},
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (!res.ok) throw new Error(`answered ${res.status}`);
      const body = responseSchema.parse(await res.json());
      const markets = new Set<MarketKey>();
      for (const entry of body.markets) {
        const market = demandKeyToMarket(entry);
        if (market) markets.add(market);
      }
      return [...markets];
    },
  };
}
