/**
 * Where closed bars go once the gateway has sequenced them (contiguous, no duplicates): the
 * Functions internal bars endpoint (bots) and the Cosmos `candles` container (charts, warm-up).
 * A sink delivers one batch or throws; the gateway retries in order per market and timeframe.
 */
import type { MarketKey } from '../../market/market-key.js';
import type { Bar } from '../../market/market-types.js';
import type { Timeframe } from '../../market/timeframes.js';

export interface BarBatch {
  readonly market: MarketKey;
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Oldest first, contiguous. */
  readonly bars: readonly Bar[];
}

export interface BarSink {
  readonly name: string;
  deliver(batch: BarBatch): Promise<void>;
}

/** The sink refused the batch for good (e.g. 400): retrying the same bytes cannot succeed. */
export class BarRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BarRejectedError';
  }
}
