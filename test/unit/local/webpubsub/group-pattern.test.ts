import { compileGroupPattern } from '../../../../local/webpubsub/group-pattern';

const matches = (pattern: string, group: string): boolean => {
  const compiled = compileGroupPattern(pattern);
  if (!compiled.ok) throw new Error(compiled.error.message);
  return compiled.value.test(group);
};

describe('compileGroupPattern', () => {
  it.each([
    ['chat-*', 'chat-1', true],
    ['chat-*', 'chat-room', true],
    ['chat-*', 'chat.1', false],
    ['chat-*', 'xchat-1', false],
    ['clientA.*', 'clientA.alpha', true],
    ['clientA.*', 'clientA.alpha.room1', false],
    ['clientA.*', 'clientB.alpha', false],
    ['clientA.**', 'clientA.alpha.room1', true],
    ['clientA.**', 'clientB.anything', false],
    ['clientA.rooms.?1', 'clientA.rooms.a1', true],
    ['clientA.rooms.?1', 'clientA.rooms.1', false],
    ['clientA.rooms.?1', 'clientA.rooms.a.1', false],
    ['literal\\*star', 'literal*star', true],
    ['literal\\*star', 'literalXstar', false],
    ['tenant.A.*', 'tenant.A.bots', true],
    ['tenant.A.*', 'tenant.B.bots', false],
    ['tenant.A.*', 'tenant.AB.bots', false],
    ['tenant.A.*', 'tenantXA.bots', false],
    ['md.**', 'md.sim.BTC/USD', true],
    ['a+b(c)', 'a+b(c)', true],
    ['a+b(c)', 'aab(c)', false],
  ])('%s against %s → %s (the service documentation examples and tenant groups)', (pattern, group, expected) => {
    expect(matches(pattern, group)).toBe(expected);
  });

  it('rejects more than five stars and dangling escapes', () => {
    expect(compileGroupPattern('a.*.*.*.**').ok).toBe(true);
    expect(compileGroupPattern('a.*.*.*.*.*.*').ok).toBe(false);
    expect(compileGroupPattern('a.**.**.**').ok).toBe(false);
    expect(compileGroupPattern('abc\\').ok).toBe(false);
    expect(compileGroupPattern('a\\b').ok).toBe(false);
  });
});
