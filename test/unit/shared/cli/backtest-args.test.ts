import { CLI_INVALID_ARGS } from '../../../../shared/cli/argv-tokens.js';
import { parseBacktestArgs } from '../../../../shared/cli/backtest-args.js';

const base = ['--data', 'GOOG.csv', '--strategy', 'sma-cross'];

function refused(argv: string[]): string {
  const result = parseBacktestArgs(argv);
  if (result.ok) throw new Error('expected a usage error');
  expect(result.error.code).toBe(CLI_INVALID_ARGS);
  return result.error.message;
}

describe('parseBacktestArgs', () => {
  it('builds the backtest config from the flags', () => {
    const result = parseBacktestArgs([
      ...base,
      '--param', 'fast=10', '--param', 'allowShort=true', '--param', 'label=x',
      '--cash', '5000', '--commission', '0.002', '--fixed-commission', '1', '--size', '0.5', '--lot', '0.01', '--slippage', '5',
      '--long-only', '--json', '--trades', 't.csv', '--equity', 'e.csv', '--report', 'r.html',
    ]);
    expect(result).toEqual({
      ok: true,
      value: {
        help: false,
        dataPath: 'GOOG.csv',
        strategyId: 'sma-cross',
        rawParams: { fast: 10, allowShort: true, label: 'x' },
        config: {
          cash: 5000,
          commission: { rate: 0.002, fixed: 1 },
          slippageBps: 5,
          sizing: { mode: 'fraction', value: 0.5 },
          lotStep: 0.01,
          shortAllowed: false,
        },
        json: true,
        tradesPath: 't.csv',
        equityPath: 'e.csv',
        reportPath: 'r.html',
      },
    });
  });

  it('defaults to 10000 cash, no fees, 0.9999 of equity, whole units, shorting allowed', () => {
    const result = parseBacktestArgs(base);
    expect(result.ok && result.value.help === false && result.value.config).toEqual({
      cash: 10000,
      commission: { rate: 0, fixed: 0 },
      slippageBps: 0,
      sizing: { mode: 'fraction', value: 0.9999 },
      lotStep: 1,
      shortAllowed: true,
    });
  });

  it('answers --help without requiring anything else', () => {
    expect(parseBacktestArgs(['--help'])).toEqual({ ok: true, value: { help: true } });
  });

  it('names the missing required options', () => {
    expect(refused([])).toBe('--data: is required: --data FILE.csv\n--strategy: is required: --strategy ID');
  });

  it('refuses a value that is not a number', () => {
    expect(refused([...base, '--cash', 'lots'])).toBe('--cash: expected a number, got "lots"');
  });

  it('reports the engine config rules under the flag names', () => {
    expect(refused([...base, '--commission', '1.5'])).toBe('--commission: commission rate must be < 1');
    expect(refused([...base, '--size', '2'])).toBe('--size: fraction must be at most 1 (no leverage)');
    expect(refused([...base, '--cash', '0'])).toContain('--cash: ');
    expect(refused([...base, '--lot', '-1'])).toContain('--lot: ');
  });

  it('refuses malformed and repeated params', () => {
    expect(refused([...base, '--param', 'fast'])).toBe('--param: expected name=value, got "fast"');
    expect(refused([...base, '--param', 'fast=1', '--param', 'fast=2'])).toBe('--param fast given more than once');
  });
});
