/**
 * Parameter grids for the optimizer: `name=start:end:step` (inclusive range), `name=start:end`
 * (step 1) or `name=a,b,c` (a list of numbers, booleans or words).
 */
import { appError, err, ok, type Result } from '../../core/result.js';

export const OPTIMIZE_INVALID_GRID = 'OPTIMIZE.INVALID_GRID';

export type GridValue = number | boolean | string;

export interface GridAxis {
  readonly name: string;
  readonly values: readonly GridValue[];
}

/** A bigger grid is almost certainly a typo in a step; the user can split it. */
export const MAX_GRID_COMBINATIONS = 1_000_000;

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Command-line text to a param value: numbers and `true`/`false` become typed, anything else stays text. */
export function coerceParamValue(text: string): GridValue {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (NUMBER_PATTERN.test(trimmed)) return Number(trimmed);
  return trimmed;
}

function decimalsOf(value: number): number {
  const text = String(value);
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent) return Number(exponent[1]) + (text.split('e')[0]!.split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

function invalid(spec: string, reason: string): Result<never> {
  return err(appError(OPTIMIZE_INVALID_GRID, `--grid ${spec}: ${reason}`));
}

/**
 * Values of an inclusive numeric range. Each value is `start + i × step` rounded to the decimals of
 * start and step, so `0.1:0.3:0.1` yields 0.1, 0.2, 0.3 rather than 0.30000000000000004.
 */
export function rangeValues(start: number, end: number, step: number): number[] {
  const decimals = Math.min(15, Math.max(decimalsOf(start), decimalsOf(step)));
  const count = Math.floor((end - start) / step + 1e-9) + 1;
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(Number((start + i * step).toFixed(decimals)));
  return values;
}

export function parseGridAxis(spec: string): Result<GridAxis> {
  const equals = spec.indexOf('=');
  if (equals < 0) return invalid(spec, 'expected name=start:end:step or name=a,b,c');
  const name = spec.slice(0, equals).trim();
  const body = spec.slice(equals + 1).trim();
  if (!NAME_PATTERN.test(name)) return invalid(spec, `"${name}" is not a parameter name`);
  if (body.length === 0) return invalid(spec, 'no values');

  if (body.includes(':')) {
    const parts = body.split(':').map((p) => p.trim());
    if (parts.length > 3 || !parts.every((p) => NUMBER_PATTERN.test(p))) {
      return invalid(spec, 'a range is start:end or start:end:step with numbers');
    }
    const [start, end, step = 1] = parts.map(Number) as [number, number, number?];
    if (!(step > 0)) return invalid(spec, 'step must be positive');
    if (end < start) return invalid(spec, 'end must not be below start');
    if ((end - start) / step >= MAX_GRID_COMBINATIONS) return invalid(spec, `more than ${MAX_GRID_COMBINATIONS} values`);
    return ok({ name, values: rangeValues(start, end, step) });
  }

  const items = body.split(',').map((p) => p.trim());
  if (items.some((p) => p.length === 0)) return invalid(spec, 'empty value in list');
  const values = items.map(coerceParamValue);
  const unique = new Set(values);
  if (unique.size !== values.length) return invalid(spec, 'duplicate value in list');
  return ok({ name, values });
}

export function parseGridAxes(specs: readonly string[]): Result<GridAxis[]> {
  const axes: GridAxis[] = [];
  for (const spec of specs) {
    const axis = parseGridAxis(spec);
    if (!axis.ok) return axis;
    if (axes.some((a) => a.name === axis.value.name)) return invalid(spec, `parameter "${axis.value.name}" appears twice`);
    axes.push(axis.value);
  }
  const combinations = axes.reduce((n, a) => n * a.values.length, 1);
  if (combinations > MAX_GRID_COMBINATIONS) {
    return err(appError(OPTIMIZE_INVALID_GRID, `the grid has ${combinations} combinations; the limit is ${MAX_GRID_COMBINATIONS}`));
  }
  return ok(axes);
}

/**
 * Every combination, the first axis varying slowest, so `fast=5:10:5 slow=20:30:10` yields
 * {5,20} {5,30} {10,20} {10,30}. The order is the combination index used to break ranking ties.
 */
export function expandGrid(axes: readonly GridAxis[]): Record<string, GridValue>[] {
  let combinations: Record<string, GridValue>[] = [{}];
  for (const axis of axes) {
    const next: Record<string, GridValue>[] = [];
    for (const partial of combinations) {
      for (const value of axis.values) next.push({ ...partial, [axis.name]: value });
    }
    combinations = next;
  }
  return combinations;
}
