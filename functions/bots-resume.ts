/** POST /api/bots/{id}/resume: paused or halted → running. Refused while the kill switch is engaged. */
import { err, ok } from '../shared/core/result.js';
import { registerBotCommand } from './bots-command.js';
import { killSwitchEngaged, recheckKillSwitch } from './kill-switch-support.js';

registerBotCommand({
  command: 'resume',
  prepare: async ({ auth, bots, actor, nowMs }) => {
    if (await bots.killSwitch.isEngaged(auth.tenantId)) return err(killSwitchEngaged());
    return ok({ command: { type: 'resume', actor, atMs: nowMs }, input: {} });
  },
  after: recheckKillSwitch,
});
