import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CSV_INVALID, OhlcvCsvParser, parseOhlcvCsv, type CsvErrorDetails } from '../../../../../shared/trading/csv/ohlcv-csv-parser.js';
import type { BarSeries } from '../../../../../shared/trading/types.js';

const DATA_DIR = path.resolve(__dirname, '../../../../../../shared/data');

function parsed(text: string): BarSeries {
  const result = parseOhlcvCsv(text, 'bars.csv');
  if (!result.ok) throw new Error(`expected success, got ${result.error.message}`);
  return result.value;
}

function failure(text: string): { message: string; details: CsvErrorDetails } {
  const result = parseOhlcvCsv(text, 'bars.csv');
  if (result.ok) throw new Error('expected CSV.INVALID, got a series');
  expect(result.error.code).toBe(CSV_INVALID);
  return { message: result.error.message, details: result.error.details as CsvErrorDetails };
}

const ROW_1 = '2004-08-19,100,104.06,95.96,100.34,22351900';
const ROW_2 = '2004-08-20,101.01,109.08,100.5,108.31,11428600';

describe('parseOhlcvCsv', () => {
  it('parses the pandas header with ISO dates as UTC midnight', () => {
    const s = parsed(`,Open,High,Low,Close,Volume\n${ROW_1}\n${ROW_2}\n`);
    expect(s.length).toBe(2);
    expect(Array.from(s.timeMs)).toEqual([Date.UTC(2004, 7, 19), Date.UTC(2004, 7, 20)]);
    expect(Array.from(s.open)).toEqual([100, 101.01]);
    expect(Array.from(s.high)).toEqual([104.06, 109.08]);
    expect(Array.from(s.low)).toEqual([95.96, 100.5]);
    expect(Array.from(s.close)).toEqual([100.34, 108.31]);
    expect(Array.from(s.volume)).toEqual([22351900, 11428600]);
  });

  it('parses the time header with epoch milliseconds, case-insensitively', () => {
    const s = parsed('TIME,Open,HIGH,low,Close,volume\n1500000000000,1,2,0.5,1.5,10\n1500000060000,1.5,1.6,1.4,1.45,0');
    expect(Array.from(s.timeMs)).toEqual([1500000000000, 1500000060000]);
    expect(Array.from(s.close)).toEqual([1.5, 1.45]);
  });

  it('treats naive date-times as UTC and honours explicit offsets and fractions', () => {
    const s = parsed(
      [
        'time,open,high,low,close,volume',
        '2017-04-19 09:00:00,1,1,1,1,1',
        '2017-04-19T10:00,1,1,1,1,1',
        '2017-04-19T11:00:00.250Z,1,1,1,1,1',
        '2017-04-19T14:00:00+02:00,1,1,1,1,1',
        '2017-04-19T08:30:00-0400,1,1,1,1,1',
      ].join('\n'),
    );
    expect(Array.from(s.timeMs)).toEqual([
      Date.UTC(2017, 3, 19, 9),
      Date.UTC(2017, 3, 19, 10),
      Date.UTC(2017, 3, 19, 11, 0, 0, 250),
      Date.UTC(2017, 3, 19, 12),
      Date.UTC(2017, 3, 19, 12, 30),
    ]);
  });

  it('ignores a UTF-8 BOM, CRLF line ends, blank lines and a missing trailing newline', () => {
    const s = parsed(`\uFEFF,Open,High,Low,Close,Volume\r\n${ROW_1}\r\n\r\n${ROW_2}`);
    expect(s.length).toBe(2);
    expect(s.volume[1]).toBe(11428600);
  });

  it('parses numbers bit-identically to Number(), including exponents and long mantissas', () => {
    const values = ['1.07219', '0.1', '123456789.123456789', '1e3', '2.5E-4', '-0.5', '+3', '.75', '7.'];
    const rows = values.map((v, i) => `${1000 + i},${v},${v},${v},${v},0`);
    const s = parsed(`time,open,high,low,close,volume\n${rows.join('\n')}\n`);
    expect(Array.from(s.close)).toEqual(values.map(Number));
  });

  it('reads the reference GOOG series whole', () => {
    const s = parsed(readFileSync(path.join(DATA_DIR, 'GOOG.csv'), 'utf8'));
    expect(s.length).toBe(2148);
    expect(s.timeMs[0]).toBe(Date.UTC(2004, 7, 19));
    expect(s.close[s.length - 1]).toBe(806.19);
  });

  it('returns arrays sized exactly to the rows', () => {
    const s = parsed(`,Open,High,Low,Close,Volume\n${ROW_1}\n`);
    expect([s.timeMs, s.open, s.high, s.low, s.close, s.volume].map((a) => a.length)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  describe('rejects', () => {
    const header = ',Open,High,Low,Close,Volume';
    const cases: [string, string, number, string][] = [
      ['an unknown header', 'date,o,h,l,c,v\n' + ROW_1, 1, 'unrecognised header "date,o,h,l,c,v"'],
      ['an empty file', '', 1, 'empty file'],
      ['a header without rows', `${header}\n\n`, 2, 'no data rows after the header'],
      ['a row with a missing field', `${header}\n${ROW_1}\n2004-08-20,101.01,109.08,100.5,108.31`, 3, 'expected 6 fields (time,open,high,low,close,volume), found 5'],
      ['a row with an extra field', `${header}\n${ROW_1},7`, 2, 'found 7'],
      ['an empty price', `${header}\n${ROW_1}\n${ROW_2}\n2004-08-23,104.76,,104,106.86,9137200`, 4, 'missing high'],
      ['a non-numeric price', `${header}\n2004-08-19,100,104.06,abc,100.34,1`, 2, 'low is not a number: "abc"'],
      ['a non-numeric volume', `${header}\n2004-08-19,100,104.06,95.96,100.34,1e`, 2, 'volume is not a number: "1e"'],
      ['a hexadecimal number', `${header}\n2004-08-19,0x10,104.06,95.96,100.34,1`, 2, 'open is not a number: "0x10"'],
      ['Infinity', `${header}\n2004-08-19,100,Infinity,95.96,100.34,1`, 2, 'high is not a number: "Infinity"'],
      ['a missing timestamp', `${header}\n,100,104.06,95.96,100.34,1`, 2, 'missing time'],
      ['an impossible date', `${header}\n2005-02-29,100,104.06,95.96,100.34,1`, 2, 'time is not an ISO date/time or epoch milliseconds: "2005-02-29"'],
      ['a non-ISO date', `${header}\n19/08/2004,100,104.06,95.96,100.34,1`, 2, 'time is not an ISO date/time or epoch milliseconds: "19/08/2004"'],
      ['high below low', `${header}\n${ROW_1}\n2004-08-20,101,100,102,101,5`, 3, 'high 100 is below low 102'],
      ['an open outside the range', `${header}\n2004-08-19,110,104.06,95.96,100.34,1`, 2, 'open 110 is outside [low 95.96, high 104.06]'],
      ['a close outside the range', `${header}\n2004-08-19,100,104.06,95.96,90,1`, 2, 'close 90 is outside [low 95.96, high 104.06]'],
      ['a negative volume', `${header}\n2004-08-19,100,104.06,95.96,100.34,-1`, 2, 'volume -1 is negative'],
      ['a duplicate timestamp', `${header}\n${ROW_1}\n${ROW_2}\n${ROW_2}`, 4, 'duplicate timestamp "2004-08-20" (same as line 3)'],
      ['an unsorted timestamp', `${header}\n${ROW_2}\n\n${ROW_1}`, 4, 'timestamp "2004-08-19" is earlier than "2004-08-20" on line 2'],
    ];
    it.each(cases)('%s with file, line and reason', (_name, text, line, reason) => {
      const { message, details } = failure(text);
      expect(message.startsWith(`bars.csv:${line}: `)).toBe(true);
      expect(message).toContain(reason);
      expect(details).toEqual({ fileName: 'bars.csv', line, reason: message.slice(`bars.csv:${line}: `.length) });
    });

    it('counts CRLF lines and blank lines when reporting the line number', () => {
      expect(failure(`${header}\r\n\r\n${ROW_1}\r\n${ROW_1}\r\n`).details.line).toBe(4);
    });
  });
});

describe('OhlcvCsvParser', () => {
  const text = `\uFEFF,Open,High,Low,Close,Volume\r\n${ROW_1}\r\n${ROW_2}\r\n2004-08-23,104.76,108,103.88,106.86,9137200\r\n`;

  it('gives the same series whatever the chunk boundaries, including between CR and LF', () => {
    const whole = parsed(text);
    for (let size = 1; size <= text.length; size++) {
      const parser = new OhlcvCsvParser('bars.csv', 1);
      for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
      const result = parser.finish();
      if (!result.ok) throw new Error(result.error.message);
      expect(result.value).toEqual(whole);
    }
  });

  it('reports the right line for an error split across chunks and refuses further input', () => {
    const parser = new OhlcvCsvParser('up.csv');
    expect(parser.push(`time,open,high,low,close,volume\n1,1,1,1,1,1\n2,1,1,`)).toBe(true);
    expect(parser.push('x,1,1\n3,1,1,1,1,1\n')).toBe(false);
    expect(parser.push('4,1,1,1,1,1\n')).toBe(false);
    const result = parser.finish();
    expect(result.ok ? '' : result.error.message).toBe('up.csv:3: low is not a number: "x"');
  });

  it('grows past its initial capacity', () => {
    const rows = Array.from({ length: 100 }, (_, i) => `${i},1,2,0.5,1,${i}`);
    const parser = new OhlcvCsvParser('grow.csv', 1);
    parser.push(`time,open,high,low,close,volume\n${rows.join('\n')}\n`);
    const result = parser.finish();
    expect(result.ok && Array.from(result.value.volume)).toEqual(rows.map((_, i) => i));
  });
});
