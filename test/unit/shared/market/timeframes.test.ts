import { bucketStartMs, isTimeframe, TIMEFRAME_MS, TIMEFRAMES } from '../../../../shared/market/timeframes';

describe('timeframes', () => {
  it('lists 1m to 1d with their lengths', () => {
    expect(TIMEFRAMES.map((tf) => TIMEFRAME_MS[tf] / 60_000)).toEqual([1, 5, 15, 60, 240, 1440]);
    expect(isTimeframe('4h')).toBe(true);
    expect(isTimeframe('2h')).toBe(false);
  });

  it('finds the UTC-aligned bucket of a time', () => {
    const t = Date.UTC(2025, 2, 9, 23, 59, 59, 999);
    expect(bucketStartMs('1d', t)).toBe(Date.UTC(2025, 2, 9));
    expect(bucketStartMs('4h', t)).toBe(Date.UTC(2025, 2, 9, 20));
    expect(bucketStartMs('5m', t)).toBe(Date.UTC(2025, 2, 9, 23, 55));
  });
});
