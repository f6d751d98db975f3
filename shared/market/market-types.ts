/** Market data shapes shared by the gateway, the sim exchange and their consumers. Times are epoch ms. */

/** One trade print, timestamped by the exchange. */
export interface Trade {
  readonly timestampMs: number;
  readonly price: number;
  readonly amount: number;
  readonly side?: 'buy' | 'sell';
  readonly id?: string;
}

/** An OHLCV bar; `openTimeMs` is the start of its bucket. */
export interface Bar {
  readonly openTimeMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** One bar spanning `earlier` then `later` (consecutive parts of one bucket): `earlier`'s open and time. */
export const mergeBars = (earlier: Bar | null, later: Bar): Bar =>
  earlier === null
    ? later
    : {
        openTimeMs: earlier.openTimeMs,
        open: earlier.open,
        high: Math.max(earlier.high, later.high),
        low: Math.min(earlier.low, later.low),
        close: later.close,
        volume: earlier.volume + later.volume,
      };

/** ccxt's OHLCV row: [timestamp, open, high, low, close, volume]. */
export type OhlcvRow = readonly [number, number, number, number, number, number];

export const barToOhlcv = (bar: Bar): OhlcvRow => [bar.openTimeMs, bar.open, bar.high, bar.low, bar.close, bar.volume];

export const ohlcvToBar = (row: OhlcvRow): Bar => ({ openTimeMs: row[0], open: row[1], high: row[2], low: row[3], close: row[4], volume: row[5] });
