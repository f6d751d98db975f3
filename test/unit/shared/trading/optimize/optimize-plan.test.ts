import { appError, err, ok } from '../../../../../shared/core/result.js';
import { planGrid } from '../../../../../shared/trading/optimize/optimize-plan.js';
import { parseStrategyParams } from '../../../../../shared/trading/strategies/registry.js';
import { smaCrossStrategy } from '../../../../../shared/trading/strategies/sma-cross.strategy.js';

describe('planGrid', () => {
  it('merges each combination over the fixed params and keeps grid indexes', () => {
    const plan = planGrid([{ name: 'a', values: [1, 2] }], { b: 'x' }, (raw) => ok(raw));
    expect(plan.runs).toEqual([
      { index: 0, gridValues: { a: 1 }, params: { a: 1, b: 'x' } },
      { index: 1, gridValues: { a: 2 }, params: { a: 2, b: 'x' } },
    ]);
    expect(plan.skipped).toEqual([]);
    expect(plan.combinations).toBe(2);
  });

  it('skips and counts the combinations the validator refuses', () => {
    const plan = planGrid([{ name: 'n', values: [1, 2, 3, 4] }], {}, (raw) =>
      (raw.n as number) % 2 === 0 ? ok(raw) : err(appError('X', `odd ${String(raw.n)}`)),
    );
    expect(plan.runs.map((r) => r.index)).toEqual([1, 3]);
    expect(plan.skipped).toEqual([
      { index: 0, gridValues: { n: 1 }, reason: 'odd 1' },
      { index: 2, gridValues: { n: 3 }, reason: 'odd 3' },
    ]);
  });

  it('skips sma-cross combinations with fast >= slow and fills in defaults', () => {
    const plan = planGrid(
      [
        { name: 'fast', values: [10, 20, 30] },
        { name: 'slow', values: [20, 30] },
      ],
      { allowShort: true },
      (raw) => parseStrategyParams(smaCrossStrategy, raw),
    );
    expect(plan.runs.map((r) => r.gridValues)).toEqual([
      { fast: 10, slow: 20 },
      { fast: 10, slow: 30 },
      { fast: 20, slow: 30 },
    ]);
    expect(plan.runs[0]!.params).toEqual({ fast: 10, slow: 20, allowShort: true });
    expect(plan.skipped.map((s) => s.gridValues)).toEqual([
      { fast: 20, slow: 20 },
      { fast: 30, slow: 20 },
      { fast: 30, slow: 30 },
    ]);
    expect(plan.skipped[0]!.reason).toContain('fast must be less than slow');
  });
});
