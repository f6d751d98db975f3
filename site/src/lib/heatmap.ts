/**
 * Optimizer results as a two-parameter heatmap: one cell per (x, y) value pair holding the best run
 * with those values (over any other grid axes), coloured from worst to best by the metric.
 */
import type { GridAxisView, GridValue, RankedRunView, Statistics } from '../../../shared/schemas/backtest-views.js';

export interface HeatCell {
  readonly run: RankedRunView | undefined;
  readonly value: number | null;
  /** 0 = worst of the map, 1 = best; null without a value. */
  readonly score: number | null;
}

export interface Heatmap {
  readonly xs: readonly GridValue[];
  readonly ys: readonly GridValue[];
  /** rows[y][x] */
  readonly rows: readonly (readonly HeatCell[])[];
  readonly best: number | null;
  readonly worst: number | null;
}

const LOWER_IS_BETTER: ReadonlySet<keyof Statistics> = new Set(['volatilityAnnPct', 'maxDrawdownDurationDays']);

export function buildHeatmap(axes: readonly GridAxisView[], runs: readonly RankedRunView[], xName: string, yName: string, metric: keyof Statistics): Heatmap {
  const xs = axes.find((a) => a.name === xName)?.values ?? [];
  const ys = axes.find((a) => a.name === yName)?.values ?? [];
  const sign = LOWER_IS_BETTER.has(metric) ? -1 : 1;
  const best = new Map<string, RankedRunView>();
  const valueOf = (r: RankedRunView): number | null => {
    const v = r.stats[metric];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  for (const run of runs) {
    const key = `${String(run.values[xName])}|${String(run.values[yName])}`;
    const current = best.get(key);
    const v = valueOf(run);
    const cv = current ? valueOf(current) : null;
    if (!current || (v !== null && (cv === null || sign * v > sign * cv))) best.set(key, run);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of best.values()) {
    const v = valueOf(r);
    if (v === null) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const rows = ys.map((y) =>
    xs.map((x) => {
      const run = best.get(`${String(x)}|${String(y)}`);
      const value = run ? valueOf(run) : null;
      const score = value === null ? null : hi === lo ? 1 : sign > 0 ? (value - lo) / (hi - lo) : (hi - value) / (hi - lo);
      return { run, value, score };
    }),
  );
  const finite = lo <= hi;
  return { xs, ys, rows, best: finite ? (sign > 0 ? hi : lo) : null, worst: finite ? (sign > 0 ? lo : hi) : null };
}

/** WCAG relative luminance of an sRGB colour given as 0..1 channels. */
function luminance([r, g, b]: readonly [number, number, number]): number {
  const lin = (c: number): number => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number): number => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [f(0), f(8), f(4)];
}

/** WCAG contrast ratio of two luminances. */
export const contrast = (a: number, b: number): number => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

/**
 * Red (worst) → amber → green (best). The text is black or white, whichever contrasts more with the
 * cell; for any background one of the two reaches at least 4.58:1 (WCAG AA).
 */
export function cellColors(score: number | null): { background: string; color: string } {
  if (score === null) return { background: 'transparent', color: 'inherit' };
  const hue = Math.round(score * 130);
  const light = 0.42 + Math.sin(score * Math.PI) * 0.1;
  const lum = luminance(hslToRgb(hue, 0.62, light));
  return { background: `hsl(${hue} 62% ${Math.round(light * 100)}%)`, color: contrast(lum, 0) >= contrast(lum, 1) ? '#000' : '#fff' };
}
