import { ClientPermissions } from '../../../../local/webpubsub/client-permissions';

describe('ClientPermissions', () => {
  it('grants nothing without roles', () => {
    const p = ClientPermissions.fromRoles([]);
    expect(p.allows('joinLeaveGroup', 'g')).toBe(false);
    expect(p.allows('sendToGroup', 'g')).toBe(false);
  });

  it('grants any group for the bare roles', () => {
    const p = ClientPermissions.fromRoles(['webpubsub.joinLeaveGroup']);
    expect(p.allows('joinLeaveGroup', 'anything.at.all')).toBe(true);
    expect(p.allows('sendToGroup', 'anything')).toBe(false);
  });

  it('grants exactly the named group for per-group roles, treating wildcards in them literally', () => {
    const p = ClientPermissions.fromRoles(['webpubsub.joinLeaveGroup.tenant.A.bots', 'webpubsub.sendToGroup.tenant.A.*']);
    expect(p.allows('joinLeaveGroup', 'tenant.A.bots')).toBe(true);
    expect(p.allows('joinLeaveGroup', 'tenant.B.bots')).toBe(false);
    expect(p.allows('joinLeaveGroup', 'tenant.A.bots2')).toBe(false);
    expect(p.allows('joinLeaveGroup', 'tenant.A')).toBe(false);
    expect(p.allows('sendToGroup', 'tenant.A.*')).toBe(true);
    expect(p.allows('sendToGroup', 'tenant.A.bots')).toBe(false);
  });

  it('grants matching groups for pattern roles: a tenant A token cannot reach tenant B', () => {
    const p = ClientPermissions.fromRoles(['webpubsub.joinLeaveGroups.tenant.A.*', 'webpubsub.joinLeaveGroups.md.**']);
    expect(p.allows('joinLeaveGroup', 'tenant.A.bots')).toBe(true);
    expect(p.allows('joinLeaveGroup', 'tenant.A.orders')).toBe(true);
    expect(p.allows('joinLeaveGroup', 'tenant.B.bots')).toBe(false);
    expect(p.allows('joinLeaveGroup', 'tenant.AB.bots')).toBe(false);
    expect(p.allows('joinLeaveGroup', 'md.sim.BTC-USD')).toBe(true);
    expect(p.allows('sendToGroup', 'tenant.A.bots')).toBe(false);
  });

  it('ignores unrelated roles and reports malformed pattern roles', () => {
    const ignored: string[] = [];
    const p = ClientPermissions.fromRoles(
      ['webpubsub.joinLeaveGroupX', 'admin', 'webpubsub.joinLeaveGroups.a.*.*.*.*.*.*', 'webpubsub.sendToGroup.'],
      (role) => ignored.push(role),
    );
    expect(p.allows('joinLeaveGroup', 'a.b.c.d.e.f.g')).toBe(false);
    expect(p.allows('joinLeaveGroup', 'webpubsub.joinLeaveGroupX')).toBe(false);
    expect(ignored).toEqual(['webpubsub.joinLeaveGroups.a.*.*.*.*.*.*', 'webpubsub.sendToGroup.']);
  });

  it('adds and removes grants like the REST permission API', () => {
    const p = ClientPermissions.fromRoles(['webpubsub.sendToGroup.chat']);
    p.grant('joinLeaveGroup', 'vip');
    expect(p.has('joinLeaveGroup', 'vip')).toBe(true);
    expect(p.has('joinLeaveGroup')).toBe(false);
    p.grant('joinLeaveGroup');
    expect(p.has('joinLeaveGroup')).toBe(true);
    expect(p.allows('joinLeaveGroup', 'whatever')).toBe(true);
    p.revoke('joinLeaveGroup');
    p.revoke('joinLeaveGroup', 'vip');
    expect(p.allows('joinLeaveGroup', 'vip')).toBe(false);
    p.revoke('sendToGroup', 'chat');
    expect(p.allows('sendToGroup', 'chat')).toBe(false);
  });
});
