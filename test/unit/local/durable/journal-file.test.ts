import { decodeJournal, encodeJournalLine } from '../../../../local/durable/journal-file.js';
import type { JournalRecord } from '../../../../local/durable/durable-records.js';

const signal = (seq: number): JournalRecord => ({ t: 'signal', signal: { seq, name: 'counter', key: 'k', op: 'add', input: String(seq), atMs: 1 } });

describe('decodeJournal', () => {
  it('reads back every record of a well-formed journal', () => {
    const content = Buffer.from([1, 2, 3].map((s) => encodeJournalLine(signal(s))).join(''));
    const result = decodeJournal(content);
    expect(result.records).toEqual([signal(1), signal(2), signal(3)]);
    expect(result.problem).toBeUndefined();
    expect(result.validBytes).toBe(content.length);
  });

  it('stops before an incomplete last line', () => {
    const good = encodeJournalLine(signal(1));
    const torn = encodeJournalLine(signal(2)).slice(0, 20);
    const result = decodeJournal(Buffer.from(good + torn));
    expect(result.records).toEqual([signal(1)]);
    expect(result.validBytes).toBe(Buffer.byteLength(good));
    expect(result.problem).toBe('incomplete last line');
  });

  it('stops at a line whose checksum does not match, ignoring what follows', () => {
    const first = encodeJournalLine(signal(1));
    const corrupt = encodeJournalLine(signal(2)).replace('"input":"2"', '"input":"9"');
    const after = encodeJournalLine(signal(3));
    const result = decodeJournal(Buffer.from(first + corrupt + after));
    expect(result.records).toEqual([signal(1)]);
    expect(result.problem).toBe('checksum mismatch');
  });

  it('stops at zero bytes left by a write that never reached the disk', () => {
    const first = encodeJournalLine(signal(1));
    const result = decodeJournal(Buffer.concat([Buffer.from(first), Buffer.alloc(64), Buffer.from('\n')]));
    expect(result.records).toEqual([signal(1)]);
    expect(result.problem).toBe('malformed line');
  });
});
