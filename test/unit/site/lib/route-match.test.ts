import { matchPath } from '../../../../site/src/lib/route-match';

describe('matchPath', () => {
  it('matches fixed segments and captures parameters', () => {
    expect(matchPath('/backtests/:id', '/backtests/abc')).toEqual({ id: 'abc' });
    expect(matchPath('/bots/:id/edit', '/bots/x%20y/edit')).toEqual({ id: 'x y' });
    expect(matchPath('/', '/')).toEqual({});
  });

  it('does not match other lengths or other fixed segments', () => {
    expect(matchPath('/backtests/:id', '/backtests')).toBeNull();
    expect(matchPath('/backtests/:id', '/optimizations/abc')).toBeNull();
    expect(matchPath('/bots/new', '/bots/abc')).toBeNull();
  });
});
