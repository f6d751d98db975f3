/**
 * Bar timeframes the gateway builds, aligned to UTC epoch boundaries (a 1d bar opens at 00:00 UTC,
 * 4h bars at 00:00, 04:00, …), which is how exchanges bucket their klines.
 */
import { z } from 'zod';

export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

const MINUTE_MS = 60_000;
export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  '1m': MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '1h': 60 * MINUTE_MS,
  '4h': 240 * MINUTE_MS,
  '1d': 1440 * MINUTE_MS,
};

export const timeframeSchema = z.enum(TIMEFRAMES, { error: `must be one of ${TIMEFRAMES.join(', ')}` });

export const isTimeframe = (value: string): value is Timeframe => (TIMEFRAMES as readonly string[]).includes(value);

/** Open time of the bar of `timeframe` that contains `timeMs`. */
export function bucketStartMs(timeframe: Timeframe, timeMs: number): number {
  const size = TIMEFRAME_MS[timeframe];
  return Math.floor(timeMs / size) * size;
}
