import { ClientPermissions } from '../../../../../local/webpubsub/client-permissions';
import { clientRolesFor } from '../../../../../shared/adapters/market-data/web-pubsub-client-access';
import { marketGroup } from '../../../../../shared/market/market-key';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const AB = `${'a'.repeat(31)}b`;

describe('Web PubSub client roles', () => {
  it('lets a tenant join its own groups and market groups only, and never send (checked by the emulator permission model)', () => {
    const roles = clientRolesFor(A);
    expect(roles.every((r) => r.startsWith('webpubsub.joinLeaveGroups.'))).toBe(true);
    const p = ClientPermissions.fromRoles(roles);
    for (const group of [`tenant.${A}.bots`, `tenant.${A}.bots.b1`, marketGroup({ exchange: 'sim', symbol: 'SIM-BTC/USD' }), 'md.binance.BTC_USDT']) {
      expect([group, p.allows('joinLeaveGroup', group)]).toEqual([group, true]);
    }
    for (const group of [`tenant.${B}.bots`, `tenant.${AB}.bots`, `tenant.${A}`, 'tenant.*.bots', 'other', 'mdx.sim.X']) {
      expect([group, p.allows('joinLeaveGroup', group)]).toEqual([group, false]);
    }
    expect(p.allows('sendToGroup', `tenant.${A}.bots`)).toBe(false);
    expect(p.allows('sendToGroup', 'md.sim.SIM-BTC_USD')).toBe(false);
  });

  it('refuses anything but a 32-hex tenant id', () => {
    expect(() => clientRolesFor('*')).toThrow();
    expect(() => clientRolesFor(`${A}.x`)).toThrow();
  });
});
