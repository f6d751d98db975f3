import { CLI_INVALID_ARGS, tokenizeArgs } from '../../../../shared/cli/argv-tokens.js';

const specs = { data: 'value', param: 'repeated', json: 'boolean' } as const;

function refused(argv: string[]): string {
  const result = tokenizeArgs(argv, specs);
  if (result.ok) throw new Error('expected a usage error');
  expect(result.error.code).toBe(CLI_INVALID_ARGS);
  return result.error.message;
}

describe('tokenizeArgs', () => {
  it('reads --name value, --name=value, repeated and boolean flags', () => {
    expect(tokenizeArgs(['--data', 'a.csv', '--param=fast=5', '--param', 'slow=20', '--json'], specs)).toEqual({
      ok: true,
      value: { data: 'a.csv', param: ['fast=5', 'slow=20'], json: true },
    });
  });

  it('takes a negative number as a value', () => {
    expect(tokenizeArgs(['--data', '-5'], specs)).toEqual({ ok: true, value: { data: '-5' } });
  });

  it('suggests the nearest option for a typo', () => {
    expect(refused(['--dta', 'x'])).toBe('unknown option --dta; did you mean --data?');
    expect(refused(['--verbose'])).toBe('unknown option --verbose');
  });

  it('refuses a missing value, a value on a boolean, a repeated single flag and positionals', () => {
    expect(refused(['--data'])).toBe('--data needs a value');
    expect(refused(['--data', '--json'])).toBe('--data needs a value');
    expect(refused(['--json=yes'])).toBe('--json takes no value');
    expect(refused(['--data', 'a', '--data', 'b'])).toBe('--data given more than once');
    expect(refused(['file.csv'])).toBe('unexpected argument "file.csv"; options start with --');
  });
});
