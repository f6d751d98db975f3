import { fmtAgo, fmtDate, fmtDateTime, fmtNumber, fmtPct, fmtSignedPct, toneOf } from '../../../../site/src/lib/format';

describe('format', () => {
  it('formats numbers with grouping and a dash for undefined values', () => {
    expect(fmtNumber(57752.98999999999)).toBe('57,752.99');
    expect(fmtNumber(null)).toBe('—');
    expect(fmtNumber(Number.NaN)).toBe('—');
    expect(fmtPct(-29.58195)).toBe('-29.58%');
    expect(fmtSignedPct(477.5299)).toBe('+477.53%');
    expect(fmtSignedPct(-1)).toBe('-1.00%');
  });

  it('shows times in UTC, dates without a midnight time', () => {
    expect(fmtDate(Date.UTC(2004, 7, 19))).toBe('2004-08-19');
    expect(fmtDateTime(Date.UTC(2004, 7, 19))).toBe('2004-08-19');
    expect(fmtDateTime(Date.UTC(2017, 3, 19, 9, 30))).toBe('2017-04-19 09:30 UTC');
    expect(fmtAgo(1_000_000, 1_000_000 + 90_000)).toBe('2 min ago');
  });

  it('gives gains and losses their tone', () => {
    expect([toneOf(1), toneOf(-1), toneOf(0), toneOf(null)]).toEqual(['up', 'down', '', '']);
  });
});
