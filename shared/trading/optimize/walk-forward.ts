/**
 * Walk-forward splitting. Windows are counted in bars and roll by the test length: optimise on
 * `train` bars, evaluate the winner on the next `test` bars, slide forward by `test`. Windows are
 * aligned to the end of the series so the most recent bars are always tested; bars before the first
 * training window that do not fill a whole step are left out.
 */
import { appError, err, ok, type Result } from '../../core/result.js';

export const OPTIMIZE_INVALID_WALK_FORWARD = 'OPTIMIZE.INVALID_WALK_FORWARD';

export interface WalkForwardSpec {
  readonly train: number;
  readonly test: number;
}

/** Half-open bar index ranges `[start, end)`. */
export interface WalkForwardWindow {
  readonly index: number;
  readonly trainStart: number;
  readonly trainEnd: number;
  readonly testStart: number;
  readonly testEnd: number;
}

export interface BarRange {
  readonly start: number;
  readonly end: number;
}

/** Parses `train=N,test=M` (bars, whole numbers ≥ 1, either order). */
export function parseWalkForwardSpec(text: string): Result<WalkForwardSpec> {
  const fail = (reason: string): Result<never> =>
    err(appError(OPTIMIZE_INVALID_WALK_FORWARD, `--walk-forward ${text}: ${reason}`));
  const values = new Map<string, number>();
  for (const part of text.split(',')) {
    const match = /^\s*(train|test)\s*=\s*(\d+)\s*$/.exec(part);
    if (!match) return fail('expected train=N,test=M with whole numbers of bars');
    if (values.has(match[1]!)) return fail(`${match[1]} given twice`);
    values.set(match[1]!, Number(match[2]));
  }
  const train = values.get('train');
  const test = values.get('test');
  if (train === undefined || test === undefined) return fail('both train and test are required');
  if (train < 1 || test < 1) return fail('train and test must be at least 1 bar');
  return ok({ train, test });
}

export function walkForwardWindows(length: number, spec: WalkForwardSpec): Result<WalkForwardWindow[]> {
  const count = Math.floor((length - spec.train) / spec.test);
  if (count < 1) {
    return err(
      appError(
        OPTIMIZE_INVALID_WALK_FORWARD,
        `walk-forward needs at least train + test = ${spec.train + spec.test} bars; the series has ${length}`,
      ),
    );
  }
  const first = length - spec.train - count * spec.test;
  const windows: WalkForwardWindow[] = [];
  for (let index = 0; index < count; index++) {
    const trainStart = first + index * spec.test;
    const trainEnd = trainStart + spec.train;
    windows.push({ index, trainStart, trainEnd, testStart: trainEnd, testEnd: trainEnd + spec.test });
  }
  return ok(windows);
}

/**
 * The bars an out-of-sample run gets: the test window plus up to `warmup` bars before it, so the
 * strategy's indicators are already defined when the window opens. Those earlier bars are past data
 * (the end of the training window), so nothing from the future leaks in.
 */
export function testRangeWithWarmup(window: WalkForwardWindow, warmup: number): BarRange {
  return { start: Math.max(0, window.testStart - Math.max(0, Math.ceil(warmup))), end: window.testEnd };
}
