/**
 * Where runs on stored candles get their bars (the Cosmos implementation reads what the market-data
 * gateway stored: cosmos-candle-source.ts). No stored bars in the range answers `VALIDATION.NO_CANDLES`;
 * `unavailableCandleSource` answers it to everything (tests, deployments without candles).
 */
import { appError, err, type Result } from '../core/result.js';
import type { CandleSourceRequest } from '../schemas/backtest-views.js';
import type { BarSeries } from '../trading/types.js';

export const NO_CANDLES = 'VALIDATION.NO_CANDLES';

export interface CandleSource {
  /** Cheap check before a job is queued: are there stored bars in the range? */
  check(source: CandleSourceRequest): Promise<Result<void>>;
  /** Bars with open time in [fromMs, toMs), ascending; at most `maxBars` (more is an error). */
  load(source: CandleSourceRequest, maxBars: number): Promise<Result<BarSeries>>;
}

export const describeSource = (s: CandleSourceRequest): string =>
  `${s.exchange} ${s.symbol} ${s.timeframe} from ${new Date(s.fromMs).toISOString()} to ${new Date(s.toMs).toISOString()}`;

export const noCandlesError = (message: string) =>
  err(appError(NO_CANDLES, message, [{ path: 'data', message }]));

export const unavailableCandleSource: CandleSource = {
  check: () => Promise.resolve(noCandlesError('Stored candles are not available on this deployment: the market-data gateway has not stored any yet. Upload a CSV instead.')),
  load: () => Promise.resolve(noCandlesError('Stored candles are not available on this deployment.')),
};
