/**
 * Uploaded bars stored as part documents: columnar number arrays, `BARS_PER_PART` bars each, which
 * keeps every document far below Cosmos' 2 MB item limit (10,000 bars of six numbers ≈ 0.7 MB JSON).
 */
import { z } from 'zod';
import type { BarSeries } from '../trading/types.js';

export const BARS_PER_PART = 10_000;

const column = z.array(z.number());
export const inputPartSchema = z.object({ t: column, o: column, h: column, l: column, c: column, v: column });
export type InputPart = z.infer<typeof inputPartSchema>;

export function seriesToInputParts(series: BarSeries, barsPerPart = BARS_PER_PART): InputPart[] {
  const parts: InputPart[] = [];
  for (let from = 0; from < series.length; from += barsPerPart) {
    const to = Math.min(series.length, from + barsPerPart);
    const take = (a: Float64Array): number[] => Array.from(a.subarray(from, to));
    parts.push({ t: take(series.timeMs), o: take(series.open), h: take(series.high), l: take(series.low), c: take(series.close), v: take(series.volume) });
  }
  return parts;
}

export function inputPartsToSeries(raw: readonly unknown[]): BarSeries {
  const parts = raw.map((p) => inputPartSchema.parse(p));
  const n = parts.reduce((sum, p) => sum + p.t.length, 0);
  const series = { length: n, timeMs: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let at = 0;
  for (const p of parts) {
    series.timeMs.set(p.t, at);
    series.open.set(p.o, at);
    series.high.set(p.h, at);
    series.low.set(p.l, at);
    series.close.set(p.c, at);
    series.volume.set(p.v, at);
    at += p.t.length;
  }
  return series;
}
