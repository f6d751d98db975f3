/**
 * Turns a grid into the runs to do: each combination is merged over the fixed params and validated
 * by the strategy's schema. Combinations the schema refuses (e.g. fast ≥ slow) are skipped and counted,
 * not fatal: a rectangular grid routinely contains some.
 */
import type { Result } from '../../core/result.js';
import { expandGrid, type GridAxis, type GridValue } from './grid-spec.js';

export interface PlannedRun<P> {
  readonly index: number;
  /** The grid values of this run, for display. */
  readonly gridValues: Readonly<Record<string, GridValue>>;
  /** Fully parsed params (defaults applied), what the backtest receives. */
  readonly params: P;
}

export interface SkippedRun {
  readonly index: number;
  readonly gridValues: Readonly<Record<string, GridValue>>;
  readonly reason: string;
}

export interface OptimizePlan<P> {
  readonly runs: readonly PlannedRun<P>[];
  readonly skipped: readonly SkippedRun[];
  readonly combinations: number;
}

export function planGrid<P>(
  axes: readonly GridAxis[],
  fixedParams: Readonly<Record<string, unknown>>,
  validate: (raw: Record<string, unknown>) => Result<P>,
): OptimizePlan<P> {
  const combinations = expandGrid(axes);
  const runs: PlannedRun<P>[] = [];
  const skipped: SkippedRun[] = [];
  combinations.forEach((gridValues, index) => {
    const parsed = validate({ ...fixedParams, ...gridValues });
    if (parsed.ok) runs.push({ index, gridValues, params: parsed.value });
    else skipped.push({ index, gridValues, reason: parsed.error.message });
  });
  return { runs, skipped, combinations: combinations.length };
}
