/** POST /api/bots/{id}/start: draft or stopped → running. Refused while the kill switch is engaged; paper connections only. */
import { appError, err, ok } from '../shared/core/result.js';
import { registerBotCommand } from './bots-command.js';
import { connectionSnapshot } from './bots-support.js';
import { killSwitchEngaged, recheckKillSwitch } from './kill-switch-support.js';

registerBotCommand({
  command: 'start',
  prepare: async ({ auth, state, services, bots, actor, nowMs }) => {
    if (await bots.killSwitch.isEngaged(auth.tenantId)) return err(killSwitchEngaged());
    // The connection may have been deleted since the bot was created (its delete check only sees active bots).
    const connection = await services.connections.get(auth.tenantId, state.machine.config.connectionId);
    if (!connection.ok) {
      return err(appError('BOT.CONNECTION_UNAVAILABLE', 'The bot\'s connection no longer exists; choose another one (PATCH connectionId).', { reason: 'connection-missing' }));
    }
    if (connection.value.record.mode !== 'paper') {
      return err(appError('BOT.CONNECTION_UNAVAILABLE', 'Bots can only run on paper connections so far; live trading is not available yet.', { reason: 'live-unsupported' }));
    }
    const snapshot = connectionSnapshot(connection.value.record);
    return ok({ command: { type: 'start', connection: snapshot, actor, atMs: nowMs }, input: { connection: snapshot } });
  },
  after: recheckKillSwitch,
});
