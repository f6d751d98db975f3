/**
 * Validation of indicator states read back from JSON (a bot entity stores them as JSON).
 *
 * Internal fields never hold NaN, so a plain JSON round trip preserves everything the update needs.
 * Output fields (state.upper, state.signal, ...) hold NaN while undefined; JSON turns that into null,
 * and the next update overwrites it. `parseXxxState` validates a stored state and turns those nulls
 * back into NaN, so a restored state reads exactly like the original even before the next update.
 *
 * Performance trap avoided here: V8 gives objects whose keys were added in the same order the same
 * hidden class, and tracks one representation per field. A zod shape written in a state's key order
 * stores schema objects in those fields, which makes every state of that indicator box its numbers:
 * an allocation on each field store, measured 2.4x slower for SMA (115 vs 275 M updates/s). So state
 * schemas list their keys in reverse order, and `parseXxxState` rebuilds the validated state as a
 * literal in the state's own key order, which also keeps restored states on the same hidden class
 * as fresh ones. Callers with their own schemas for hot objects should do the same.
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { appError, err, ok } from '../../core/result.js';
import { MAX_PERIOD } from './indicator-params.js';

export const INDICATOR_INVALID_STATE = 'INDICATOR.INVALID_STATE' as const;

export const finite = z.number();
export const storedPeriod = z.number().int().min(1).max(MAX_PERIOD);
export const counter = z.number().int().min(0);
export const numberArray = z.array(finite);
/** An output field: NaN while undefined, which JSON stores as null. */
export const output = z
  .union([z.number(), z.nan(), z.null()])
  .transform((v) => v ?? NaN);

/** Checks the ring-buffer invariants shared by the windowed indicators. */
export function ringIsConsistent(s: { period: number; count: number; index: number; window: readonly number[] }): boolean {
  return s.window.length === s.period && s.count <= s.period && s.index < s.period;
}

export function checkIndicatorState<T>(schema: z.ZodType<T>, json: unknown, indicator: string): Result<T> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return ok(parsed.data);
  return err(appError(INDICATOR_INVALID_STATE, `${indicator} state: ${z.prettifyError(parsed.error)}`, parsed.error.issues));
}
