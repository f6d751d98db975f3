import { compileConnectionFilter, type FilterSubject } from '../../../../local/webpubsub/odata-filter';

const subject = (connectionId: string, userId: string | undefined, groups: string[] = []): FilterSubject => ({ connectionId, userId, groups: new Set(groups) });
const alice = subject('c1', 'alice', ['md.x', "o'brien"]);
const bob = subject('c2', 'bob');
const anon = subject('c3', undefined, ['md.x']);

const run = (filter: string): string[] => {
  const compiled = compileConnectionFilter(filter);
  if (!compiled.ok) throw new Error(compiled.error.message);
  return [alice, bob, anon].filter(compiled.value).map((s) => s.connectionId);
};

describe('compileConnectionFilter', () => {
  it('compares user and connection ids', () => {
    expect(run("userId eq 'alice'")).toEqual(['c1']);
    expect(run("userId ne 'alice'")).toEqual(['c2', 'c3']);
    expect(run("connectionId eq 'c2'")).toEqual(['c2']);
    expect(run("'bob' eq userId")).toEqual(['c2']);
    expect(run('userId eq null')).toEqual(['c3']);
    expect(run("userId gt 'alice'")).toEqual(['c2']);
    expect(run("userId le 'alice'")).toEqual(['c1']);
  });

  it('tests group membership, with doubled quotes inside strings', () => {
    expect(run("'md.x' in groups")).toEqual(['c1', 'c3']);
    expect(run("'o''brien' in groups")).toEqual(['c1']);
  });

  it('combines with not, and, or and parentheses (and binds tighter than or)', () => {
    expect(run("'md.x' in groups and userId ne null")).toEqual(['c1']);
    expect(run("not 'md.x' in groups")).toEqual(['c2']);
    expect(run("userId eq 'bob' or userId eq 'alice' and connectionId eq 'zz'")).toEqual(['c2']);
    expect(run("(userId eq 'bob' or userId eq 'alice') and connectionId eq 'c1'")).toEqual(['c1']);
    expect(run("USERID EQ 'bob' OR ConnectionId Eq 'c3'")).toEqual(['c2', 'c3']);
  });

  it('reports malformed filters', () => {
    for (const bad of ["userId eq 'x", 'userId eq', "userId like 'a'", "'a' in users", "(userId eq 'a'", "userId eq 'a' bogus", 'x eq 1', 'userId in groups', '$']) {
      const result = compileConnectionFilter(bad);
      expect(result).toMatchObject({ ok: false, error: { code: 'WPS.FILTER_INVALID' } });
    }
  });
});
