import { parseOptimizeArgs } from '../../../../shared/cli/optimize-args.js';

const base = ['--data', 'GOOG.csv', '--strategy', 'sma-cross'];

function refused(argv: string[]): string {
  const result = parseOptimizeArgs(argv);
  if (result.ok) throw new Error('expected a usage error');
  return result.error.message;
}

describe('parseOptimizeArgs', () => {
  it('reads grids, metric, walk-forward, workers and top', () => {
    const result = parseOptimizeArgs([
      ...base, '--grid', 'fast=5:15:5', '--grid', 'slow=20,40', '--metric', 'returnPct',
      '--walk-forward', 'train=500,test=100', '--workers', '3', '--top', '5', '--param', 'allowShort=true', '--json',
    ]);
    if (!result.ok || result.value.help) throw new Error('expected options');
    expect(result.value.axes).toEqual([
      { name: 'fast', values: [5, 10, 15] },
      { name: 'slow', values: [20, 40] },
    ]);
    expect(result.value.metric).toBe('returnPct');
    expect(result.value.walkForward).toEqual({ train: 500, test: 100 });
    expect([result.value.workers, result.value.top, result.value.json]).toEqual([3, 5, true]);
    expect(result.value.rawParams).toEqual({ allowShort: true });
  });

  it('defaults to sharpe, one worker per core (undefined), top 10, no walk-forward', () => {
    const result = parseOptimizeArgs([...base, '--grid', 'fast=5:10']);
    if (!result.ok || result.value.help) throw new Error('expected options');
    expect([result.value.metric, result.value.workers, result.value.top, result.value.walkForward]).toEqual(['sharpe', undefined, 10, undefined]);
  });

  it('requires a grid', () => {
    expect(refused(base)).toBe('--grid: is required: --grid name=start:end:step (repeat per parameter)');
  });

  it('refuses an unknown metric, listing the valid ones', () => {
    const message = refused([...base, '--grid', 'fast=5:10', '--metric', 'profit']);
    expect(message).toContain('--metric: must be one of: trades, equityFinal');
    expect(message).toContain('exposurePct');
  });

  it('passes on grid and walk-forward errors', () => {
    expect(refused([...base, '--grid', 'fast=10:5'])).toBe('--grid fast=10:5: end must not be below start');
    expect(refused([...base, '--grid', 'fast=5:10', '--walk-forward', 'train=10'])).toBe('--walk-forward train=10: both train and test are required');
  });

  it('refuses zero workers and a param given both fixed and as a grid', () => {
    expect(refused([...base, '--grid', 'fast=5:10', '--workers', '0'])).toBe('--workers: must be at least 1');
    expect(refused([...base, '--grid', 'fast=5:10', '--param', 'fast=3'])).toBe('fast is given both as --param and as --grid');
  });
});
