/**
 * Stored candles for runs on `{exchange, symbol, timeframe, fromMs, toMs}`. The market-data gateway
 * owns the candle store; until this deployment declares it, every request answers
 * `VALIDATION.NO_CANDLES`.
 */
import type { Database } from '@azure/cosmos';
import { unavailableCandleSource, type CandleSource } from './candle-source.js';

export function cosmosCandleSource(_database: Database): CandleSource {
  return unavailableCandleSource;
}
