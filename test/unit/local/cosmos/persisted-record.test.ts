import { decodeRecord, encodeRecord, type PersistedRecord } from '../../../../local/cosmos/persisted-record';

const put: PersistedRecord = {
  o: 'put',
  k: 'docs',
  p: ['db', 'bots'],
  n: 3,
  d: { id: 'a', tenantId: 't', nested: { ü: [1, null, 'x'] }, _rid: 'rid-a', _etag: 'e1', _ts: 1700000000 },
};

describe('persisted record codec', () => {
  it('round-trips every record kind through one checksummed line', () => {
    const records: PersistedRecord[] = [
      put,
      { o: 'del', k: 'docs', p: ['db', 'bots'], r: 'rid-a' },
      { o: 'cnt', k: 'colls', p: ['db'], n: 7 },
      { o: 'snapshot', format: 1, fromSegment: 4, createdAtMs: 1700000000000 },
      { o: 'end', records: 2 },
    ];
    for (const record of records) {
      const line = encodeRecord(record);
      expect(line.endsWith('\n')).toBe(true);
      expect(line.indexOf('\n')).toBe(line.length - 1);
      expect(decodeRecord(line.slice(0, -1))).toEqual({ ok: true, record });
    }
  });

  it('keeps the key order of stored documents', () => {
    const decoded = decodeRecord(encodeRecord(put).slice(0, -1));
    expect(decoded.ok && decoded.record.o === 'put' ? Object.keys(decoded.record.d) : []).toEqual(Object.keys(put.o === 'put' ? put.d : {}));
  });

  it('rejects torn, altered and foreign lines', () => {
    const line = encodeRecord(put).slice(0, -1);
    expect(decodeRecord(line.slice(0, line.length - 5))).toMatchObject({ ok: false, reason: 'checksum mismatch' });
    expect(decodeRecord(line.replace('"a"', '"b"'))).toMatchObject({ ok: false, reason: 'checksum mismatch' });
    expect(decodeRecord('\u0000'.repeat(40))).toMatchObject({ ok: false });
    expect(decodeRecord('')).toMatchObject({ ok: false });
    const foreign = encodeRecord({ o: 'put', k: 'tables', p: [], n: 1, d: { id: 'x', _rid: 'r' } } as unknown as PersistedRecord).slice(0, -1);
    expect(decodeRecord(foreign)).toMatchObject({ ok: false });
  });
});
