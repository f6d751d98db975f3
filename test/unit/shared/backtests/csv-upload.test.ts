import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvUpload } from '../../../../shared/backtests/csv-upload';
import { seriesToInputParts, inputPartsToSeries } from '../../../../shared/backtests/series-parts';
import { parseOhlcvCsv } from '../../../../shared/trading/csv/ohlcv-csv-parser';

const GOOG = readFileSync(join(__dirname, '..', '..', '..', '..', '..', 'shared', 'data', 'GOOG.csv'));

describe('parseCsvUpload', () => {
  it('parses an upload exactly as the CLI parser parses the text', () => {
    const upload = parseCsvUpload(GOOG, 'GOOG.csv');
    const direct = parseOhlcvCsv(GOOG.toString('utf8'), 'GOOG.csv');
    if (!upload.ok || !direct.ok) throw new Error('expected both to parse');
    expect(upload.value).toEqual(direct.value);
  });

  it('decodes UTF-8 split across its 1 MB slices (a BOM, then multi-byte text at the boundary)', () => {
    const header = '\uFEFFtime,open,high,low,close,volume\n';
    const row = (i: number): string => `${1_600_000_000_000 + i * 60_000},1,2,0.5,1.5,3\n`;
    let text = header;
    for (let i = 0; text.length < (1 << 20) + 1000; i++) text += row(i);
    const bytes = Buffer.from(text, 'utf8');
    const result = parseCsvUpload(bytes, 'rows.csv');
    expect(result.ok && result.value.length).toBe(text.split('\n').length - 2);
  });

  it('refuses bytes that are not UTF-8, an empty upload, and more bars than a run reads', () => {
    expect(parseCsvUpload(Buffer.from([0x74, 0xff, 0x0a]), 'x.csv')).toMatchObject({ ok: false, error: { code: 'VALIDATION.CSV_INVALID', message: 'x.csv: the upload is not UTF-8 text' } });
    expect(parseCsvUpload(Buffer.alloc(0), 'x.csv')).toMatchObject({ ok: false, error: { code: 'VALIDATION.CSV_INVALID' } });
    expect(parseCsvUpload(GOOG, 'GOOG.csv', 100)).toMatchObject({ ok: false, error: { message: 'GOOG.csv: 2148 bars; a run reads at most 100' } });
  });

  it('reports the first bad row with file and line, with the details path `data`', () => {
    const result = parseCsvUpload(Buffer.from(',Open,High,Low,Close,Volume\n2004-08-19,1,2,0.5,1,-1\n'), 'bad.csv');
    expect(result).toEqual({ ok: false, error: { code: 'VALIDATION.CSV_INVALID', message: 'bad.csv:2: volume -1 is negative', details: [{ path: 'data', message: 'bad.csv:2: volume -1 is negative' }] } });
  });
});

describe('series parts', () => {
  it('stores bars in parts of a fixed size and reassembles the same series', () => {
    const series = parseOhlcvCsv(GOOG.toString('utf8'), 'GOOG.csv');
    if (!series.ok) throw new Error('fixture');
    const parts = seriesToInputParts(series.value, 1000);
    expect(parts.map((p) => p.t.length)).toEqual([1000, 1000, 148]);
    expect(inputPartsToSeries(JSON.parse(JSON.stringify(parts)) as unknown[])).toEqual(series.value);
  });
});
