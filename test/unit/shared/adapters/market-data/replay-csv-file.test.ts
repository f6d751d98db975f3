import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { readReplayCsv, REPLAY_FILE_UNREADABLE } from '../../../../../shared/adapters/market-data/replay-csv-file';
import { CSV_INVALID } from '../../../../../shared/trading/csv/ohlcv-csv-parser';

const EURUSD = resolve(__dirname, '../../../../../../shared/data/EURUSD.csv');

describe('readReplayCsv', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tt-replay-file-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a reference CSV through a path relative to the working directory', () => {
    const rows = readReplayCsv(relative(process.cwd(), EURUSD));
    expect(rows.ok && [rows.value.length, rows.value.open[0], rows.value.volume[0]]).toEqual([5000, 1.0716, 1413]);
  });

  it('names the file and line of the first bad row', () => {
    const path = join(dir, 'unordered.csv');
    writeFileSync(path, ',Open,High,Low,Close,Volume\n2020-01-02,1,2,1,2,3\n2020-01-01,1,2,1,2,3\n');
    const rows = readReplayCsv(path);
    expect(rows.ok).toBe(false);
    if (rows.ok) return;
    expect(rows.error.code).toBe(CSV_INVALID);
    expect(rows.error.message).toBe(`${path}:3: timestamp "2020-01-01" is earlier than "2020-01-02" on line 2; rows must be in ascending time order`);
  });

  it('says why a file cannot be read', () => {
    expect(readReplayCsv(join(dir, 'absent.csv'))).toEqual({ ok: false, error: { code: REPLAY_FILE_UNREADABLE, message: `cannot read ${join(dir, 'absent.csv')}: no such file` } });
    expect(readReplayCsv(dir)).toEqual({ ok: false, error: { code: REPLAY_FILE_UNREADABLE, message: `cannot read ${dir}: it is a directory` } });
  });
});
