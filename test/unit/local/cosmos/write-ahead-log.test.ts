import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersistedRecord } from '../../../../local/cosmos/persisted-record';
import { readRecordFile } from '../../../../local/cosmos/record-file';
import { listSegments, segmentFileName, WriteAheadLog } from '../../../../local/cosmos/write-ahead-log';

const put = (id: string): PersistedRecord => ({ o: 'put', k: 'docs', p: ['db', 'c'], n: 1, d: { id, _rid: `rid-${id}` } });
const idsIn = (dir: string, segment: number): string[] =>
  readRecordFile(join(dir, segmentFileName(segment))).records.map((r) => (r.o === 'put' ? r.d.id : r.o));

describe('WriteAheadLog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tt-wal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has every record appended before whenDurable() on disk when it resolves', async () => {
    const wal = new WriteAheadLog({ dir, segment: 1 });
    wal.append(put('a'));
    wal.append(put('b'));
    await wal.whenDurable();
    expect(idsIn(dir, 1)).toEqual(['a', 'b']);
    wal.append(put('c'));
    await wal.whenDurable();
    expect(idsIn(dir, 1)).toEqual(['a', 'b', 'c']);
    await wal.close();
  });

  it('commits records of concurrent waiters in order, sharing writes', async () => {
    const wal = new WriteAheadLog({ dir, segment: 1 });
    const waits: Array<Promise<void>> = [];
    for (let i = 0; i < 200; i += 1) {
      wal.append(put(`d${i}`));
      waits.push(wal.whenDurable());
      if (i % 10 === 0) await Promise.resolve();
    }
    await Promise.all(waits);
    expect(idsIn(dir, 1)).toEqual(Array.from({ length: 200 }, (_, i) => `d${i}`));
    await wal.close();
  });

  it('sends appends after rotate() to the next segment and keeps earlier ones in the old segment', async () => {
    const wal = new WriteAheadLog({ dir, segment: 3 });
    wal.append(put('before'));
    expect(wal.rotate()).toBe(4);
    wal.append(put('after'));
    expect(wal.segment).toBe(4);
    await wal.whenDurable();
    expect(idsIn(dir, 3)).toEqual(['before']);
    expect(idsIn(dir, 4)).toEqual(['after']);
    expect(wal.deleteSegmentsBelow(4)).toBe(1);
    expect(listSegments(dir)).toEqual([4]);
    await wal.close();
  });

  it('never reopens an existing segment file', () => {
    const wal = new WriteAheadLog({ dir, segment: 1 });
    expect(() => new WriteAheadLog({ dir, segment: 1 })).toThrow(/EEXIST/);
    return wal.close();
  });

  it('lists only segment files, in numeric order', async () => {
    for (const n of [10, 2, 1]) await new WriteAheadLog({ dir, segment: n }).close();
    expect(listSegments(dir)).toEqual([1, 2, 10]);
    expect(readdirSync(dir).sort()).toEqual([segmentFileName(1), segmentFileName(10), segmentFileName(2)].sort());
  });
});
