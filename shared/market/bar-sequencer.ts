/**
 * Gap detection for one market and timeframe: decides, for each bar the builder closed, whether it
 * can be emitted as is, is a duplicate, or needs a backfill from the exchange first, and merges the
 * backfill so what leaves the gateway is contiguous (no hole) and strictly increasing (no duplicate).
 *
 * The state is the last emitted bar; it survives restarts when seeded from stored candles, so a
 * gateway that was down also backfills what it missed (up to `maxBackfillBars`).
 */
import type { Bar } from './market-types.js';

export interface SequencerState {
  /** Open time of the last emitted bar; undefined before the first. */
  readonly lastOpenMs: number | undefined;
  readonly lastClose: number | undefined;
}

export const EMPTY_SEQUENCER_STATE: SequencerState = { lastOpenMs: undefined, lastClose: undefined };

export interface BarCandidate {
  readonly bar: Bar;
  /** False when the builder may have missed trades of this bar: the exchange's version is preferred. */
  readonly complete: boolean;
}

export type SequencerPlan =
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'emit'; readonly bars: readonly Bar[] }
  /** Fetch the exchange's bars with open times in [fromMs, toMs], then call `mergeBackfill`. */
  | { readonly kind: 'backfill'; readonly fromMs: number; readonly toMs: number };

export interface MergeResult {
  readonly bars: readonly Bar[];
  /** Buckets the exchange did not return, filled flat from the previous close. */
  readonly filledFlat: number;
  /** True when the candidate was incomplete and the exchange had no bar for it (emitted as built). */
  readonly usedIncompleteBar: boolean;
}

export function planBar(state: SequencerState, timeframeMs: number, candidate: BarCandidate, maxBackfillBars: number): SequencerPlan {
  const open = candidate.bar.openTimeMs;
  if (state.lastOpenMs !== undefined && open <= state.lastOpenMs) return { kind: 'duplicate' };
  const contiguous = state.lastOpenMs === undefined || open === state.lastOpenMs + timeframeMs;
  if (candidate.complete && contiguous) return { kind: 'emit', bars: [candidate.bar] };
  const earliest = open - maxBackfillBars * timeframeMs;
  const fromMs = state.lastOpenMs === undefined ? open : Math.max(state.lastOpenMs + timeframeMs, earliest);
  const toMs = candidate.complete ? open - timeframeMs : open;
  if (fromMs > toMs) return { kind: 'emit', bars: [candidate.bar] };
  return { kind: 'backfill', fromMs, toMs };
}

/** Bars to emit for `candidate` after a backfill of [fromMs, candidate]: one per bucket, in order. */
export function mergeBackfill(state: SequencerState, timeframeMs: number, candidate: BarCandidate, fromMs: number, fetched: readonly Bar[]): MergeResult {
  const byOpen = new Map<number, Bar>();
  for (const bar of fetched) byOpen.set(bar.openTimeMs, bar);
  const out: Bar[] = [];
  let prevClose = state.lastClose;
  let filledFlat = 0;
  let usedIncompleteBar = false;
  const last = candidate.bar.openTimeMs;
  for (let open = fromMs; open <= last; open += timeframeMs) {
    let bar: Bar | undefined;
    if (open === last) {
      bar = candidate.complete ? candidate.bar : byOpen.get(open);
      if (bar === undefined) {
        bar = candidate.bar;
        usedIncompleteBar = true;
      }
    } else {
      bar = byOpen.get(open);
      if (bar === undefined && prevClose !== undefined) {
        bar = { openTimeMs: open, open: prevClose, high: prevClose, low: prevClose, close: prevClose, volume: 0 };
        filledFlat++;
      }
    }
    // No earlier close to fill from (first bar ever and the exchange returned nothing): start later.
    if (bar === undefined) continue;
    out.push(bar);
    prevClose = bar.close;
  }
  return { bars: out, filledFlat, usedIncompleteBar };
}

export function advance(state: SequencerState, emitted: readonly Bar[]): SequencerState {
  const last = emitted[emitted.length - 1];
  return last === undefined ? state : { lastOpenMs: last.openTimeMs, lastClose: last.close };
}
