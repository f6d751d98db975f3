/**
 * Posts closed bars to the Function App's internal endpoint (`POST /api/internal/bars`, function
 * key auth), which hands them to the running bots. Idempotent on the receiving side (bots ignore
 * bars they already have), so a retry after a lost response is safe. The body is the endpoint's
 * schema (functions/internal-bars.ts): the bots' market `{exchange, symbol, timeframe}` and bars
 * `{timeMs, open, high, low, close, volume}`; the types below are inferred from the same schemas.
 */
import type { z } from 'zod';
import type { botMarketSchema } from '../../bots/bot-config.js';
import type { barSchema } from '../../bots/execution-messages.js';
import { BarRejectedError, type BarBatch, type BarSink } from './bar-sink.js';

export type InternalBarsBody = z.input<typeof botMarketSchema> & { readonly bars: readonly z.input<typeof barSchema>[] };

export interface InternalBarsClientOptions {
  /** Function App base URL, e.g. http://127.0.0.1:7071 (the route adds /api/internal/bars). */
  readonly baseUrl: string;
  readonly functionKey?: string | undefined;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export const INTERNAL_BARS_PATH = '/api/internal/bars';

/** Statuses that mean "this request will never be accepted"; anything else is retried. */
const PERMANENT = new Set([400, 413, 415, 422]);

export function internalBarsRequestBody(batch: BarBatch): InternalBarsBody {
  return {
    exchange: batch.exchange,
    symbol: batch.symbol,
    timeframe: batch.timeframe,
    bars: batch.bars.map((b) => ({ timeMs: b.openTimeMs, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume })),
  };
}

export function createInternalBarsClient(options: InternalBarsClientOptions): BarSink {
  const url = `${options.baseUrl.replace(/\/+$/, '')}${INTERNAL_BARS_PATH}`;
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.functionKey) headers['x-functions-key'] = options.functionKey;
  return {
    name: 'internal-bars',
    async deliver(batch) {
      const res = await doFetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(internalBarsRequestBody(batch)),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (res.ok) {
        await res.arrayBuffer();
        return;
      }
      const text = (await res.text()).slice(0, 500);
      if (PERMANENT.has(res.status)) throw new BarRejectedError(`POST ${INTERNAL_BARS_PATH} answered ${res.status}: ${text}`);
      throw new Error(`POST ${INTERNAL_BARS_PATH} answered ${res.status}: ${text}`);
    },
  };
}
