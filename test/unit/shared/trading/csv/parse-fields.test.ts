import { parseDecimal } from '../../../../../shared/trading/csv/parse-decimal.js';
import { daysFromCivil, parseTimestamp } from '../../../../../shared/trading/csv/parse-timestamp.js';

/** Deterministic generator so a failure can be reproduced. */
function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const whole = (text: string): number => parseDecimal(text, 0, text.length);

describe('parseDecimal', () => {
  it('agrees bit for bit with Number() on random decimals of every length and scale', () => {
    const random = seededRandom(42);
    for (let k = 0; k < 20000; k++) {
      const digits = 1 + Math.floor(random() * 19);
      let text = '';
      for (let d = 0; d < digits; d++) text += String(Math.floor(random() * 10));
      const dot = Math.floor(random() * (digits + 1));
      text = `${text.slice(0, dot)}.${text.slice(dot)}`;
      if (random() < 0.2) text += `e${Math.floor(random() * 60) - 30}`;
      if (random() < 0.3) text = `-${text}`;
      expect(Object.is(whole(text), Number(text))).toBe(true);
    }
  });

  it('reads only its range and tolerates surrounding blanks', () => {
    expect(parseDecimal('x, 12.5 ,y', 2, 8)).toBe(12.5);
  });

  it.each(['', ' ', '.', '-', '1e', '1e+', '1.2.3', '12a', '0x1f', 'NaN', 'Infinity', '1 2'])('rejects %p as NaN', (text) => {
    expect(whole(text)).toBeNaN();
  });
});

describe('parseTimestamp', () => {
  const ts = (text: string): number => parseTimestamp(text, 0, text.length);

  it('matches Date.UTC for every day of 1900-2100', () => {
    for (let ms = Date.UTC(1900, 0, 1); ms <= Date.UTC(2100, 11, 31); ms += 86_400_000) {
      const d = new Date(ms);
      expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()) * 86_400_000).toBe(ms);
    }
  });

  it('accepts dates, date-times, fractions, offsets and epoch milliseconds', () => {
    expect(ts('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    expect(ts('2017-04-19 23:59:59.9999')).toBe(Date.UTC(2017, 3, 19, 23, 59, 59, 999));
    expect(ts('2017-04-19T00:00+05')).toBe(Date.UTC(2017, 3, 18, 19));
    expect(ts('2017-04-19T00:00z')).toBe(Date.UTC(2017, 3, 19));
    expect(ts('1500000000000')).toBe(1500000000000);
    expect(ts('-86400000')).toBe(-86400000);
  });

  it.each([
    '1900-02-29', '2017-13-01', '2017-04-31', '2017-04-19T24:00', '2017-04-19T12:60', '2017-04-19T12',
    '2017-04-19T12:00:61', '2017-04-19T12:00:00.', '2017-04-19T12:00+5', '2017-04-19T12:00Zx', '2017-04-19X12:00',
    '2017/04/19', '1.5e12', '15000000000001.5', 'yesterday',
  ])('rejects %p as NaN', (text) => {
    expect(ts(text)).toBeNaN();
  });
});
