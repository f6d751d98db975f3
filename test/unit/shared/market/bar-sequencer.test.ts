import { advance, EMPTY_SEQUENCER_STATE, mergeBackfill, planBar, type SequencerState } from '../../../../shared/market/bar-sequencer';
import type { Bar } from '../../../../shared/market/market-types';

const M = 60_000;
const bar = (open: number, close = 100 + open / M): Bar => ({ openTimeMs: open, open: close, high: close + 1, low: close - 1, close, volume: 5 });
const at = (lastOpenMs: number, lastClose = 1): SequencerState => ({ lastOpenMs, lastClose });

describe('bar sequencer', () => {
  it('emits a complete bar that follows the last one', () => {
    expect(planBar(at(10 * M), M, { bar: bar(11 * M), complete: true }, 100)).toEqual({ kind: 'emit', bars: [bar(11 * M)] });
  });

  it('emits the first complete bar when nothing was emitted before', () => {
    expect(planBar(EMPTY_SEQUENCER_STATE, M, { bar: bar(3 * M), complete: true }, 100)).toEqual({ kind: 'emit', bars: [bar(3 * M)] });
  });

  it('drops a bar at or before the last emitted one', () => {
    expect(planBar(at(10 * M), M, { bar: bar(10 * M), complete: true }, 100)).toEqual({ kind: 'duplicate' });
    expect(planBar(at(10 * M), M, { bar: bar(9 * M), complete: false }, 100)).toEqual({ kind: 'duplicate' });
  });

  it('asks for the hole before a complete bar, and for the bar itself when it is incomplete', () => {
    expect(planBar(at(10 * M), M, { bar: bar(14 * M), complete: true }, 100)).toEqual({ kind: 'backfill', fromMs: 11 * M, toMs: 13 * M });
    expect(planBar(at(10 * M), M, { bar: bar(14 * M), complete: false }, 100)).toEqual({ kind: 'backfill', fromMs: 11 * M, toMs: 14 * M });
    expect(planBar(at(10 * M), M, { bar: bar(11 * M), complete: false }, 100)).toEqual({ kind: 'backfill', fromMs: 11 * M, toMs: 11 * M });
    expect(planBar(EMPTY_SEQUENCER_STATE, M, { bar: bar(5 * M), complete: false }, 100)).toEqual({ kind: 'backfill', fromMs: 5 * M, toMs: 5 * M });
  });

  it('limits a backfill to the most recent maxBackfillBars', () => {
    expect(planBar(at(0), M, { bar: bar(1000 * M), complete: true }, 10)).toEqual({ kind: 'backfill', fromMs: 990 * M, toMs: 999 * M });
  });

  it('merges the exchange bars, prefers them for an incomplete bar and keeps a complete built bar', () => {
    const built = { ...bar(14 * M), volume: 1 };
    const fetched = [bar(11 * M), bar(12 * M), bar(13 * M), bar(14 * M)];
    expect(mergeBackfill(at(10 * M), M, { bar: built, complete: false }, 11 * M, fetched).bars).toEqual(fetched);
    expect(mergeBackfill(at(10 * M), M, { bar: built, complete: true }, 11 * M, fetched.slice(0, 3)).bars).toEqual([...fetched.slice(0, 3), built]);
  });

  it('fills buckets the exchange did not return flat from the previous close, and ignores bars out of range', () => {
    const result = mergeBackfill(at(10 * M, 50), M, { bar: bar(14 * M), complete: true }, 11 * M, [bar(5 * M), bar(12 * M)]);
    expect(result.bars.map((b) => [b.openTimeMs / M, b.close, b.volume])).toEqual([
      [11, 50, 0],
      [12, 112, 5],
      [13, 112, 0],
      [14, 114, 5],
    ]);
    expect(result.filledFlat).toBe(2);
  });

  it('falls back to the incomplete built bar when the exchange has none for it, and says so', () => {
    const result = mergeBackfill(at(10 * M), M, { bar: bar(11 * M), complete: false }, 11 * M, []);
    expect(result).toEqual({ bars: [bar(11 * M)], filledFlat: 0, usedIncompleteBar: true });
  });

  it('advances past the last emitted bar', () => {
    expect(advance(EMPTY_SEQUENCER_STATE, [bar(M), bar(2 * M, 7)])).toEqual({ lastOpenMs: 2 * M, lastClose: 7 });
    expect(advance(at(M), [])).toEqual(at(M));
  });
});
