/** Test support for the indicator suites: the reference CSVs and comparison helpers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface OhlcvColumns {
  readonly name: string;
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  readonly volume: number[];
}

const DATA_DIR = join(__dirname, '../../../../../../shared/data');
export const DATASET_NAMES = ['GOOG', 'EURUSD', 'BTCUSD'] as const;

/** Reads `,Open,High,Low,Close,Volume` files; the reference files are clean, so no row validation here. */
export function readOhlcv(name: string): OhlcvColumns {
  const lines = readFileSync(join(DATA_DIR, `${name}.csv`), 'utf8').trim().split('\n').slice(1);
  const cols: OhlcvColumns = { name, open: [], high: [], low: [], close: [], volume: [] };
  for (const line of lines) {
    const f = line.split(',');
    cols.open.push(Number(f[1]));
    cols.high.push(Number(f[2]));
    cols.low.push(Number(f[3]));
    cols.close.push(Number(f[4]));
    cols.volume.push(Number(f[5]));
  }
  return cols;
}

export const DATASETS: readonly OhlcvColumns[] = DATASET_NAMES.map(readOhlcv);

/** |a - b| <= tol * max(|a|, |b|), with an absolute floor for values at or near zero. */
export function relClose(a: number, b: number, tol = 1e-9, absFloor = 1e-12): boolean {
  return Math.abs(a - b) <= Math.max(tol * Math.max(Math.abs(a), Math.abs(b)), absFloor);
}

/**
 * Compares our full-length series (NaN during warmup) with a reference that omits the warmup:
 * reference[k] belongs to ours[offset + k]. Returns the mismatches, empty when all agree.
 */
export function compareAligned(
  ours: ArrayLike<number>,
  reference: readonly number[],
  offset: number,
  close: (a: number, b: number) => boolean = relClose,
): string[] {
  const problems: string[] = [];
  if (reference.length !== Math.max(0, ours.length - offset)) {
    problems.push(`length: reference ${reference.length}, ours ${ours.length} - offset ${offset}`);
  }
  for (let i = 0; i < offset && i < ours.length; i++) {
    if (!Number.isNaN(ours[i])) problems.push(`index ${i}: expected NaN during warmup, got ${ours[i]}`);
  }
  for (let k = 0; k < reference.length; k++) {
    const a = ours[offset + k]!;
    const b = reference[k]!;
    if (!close(a, b)) problems.push(`index ${offset + k}: ours ${a}, reference ${b}`);
    if (problems.length > 5) break;
  }
  return problems;
}

/** Same length, same bits (NaN equals NaN). */
export function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Round-trips a state through JSON, as a bot entity does. */
export function jsonRoundTrip<T>(state: T): T {
  return JSON.parse(JSON.stringify(state)) as T;
}
