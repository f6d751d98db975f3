/** POST /api/bots/{id}/pause: running → paused (no new entries; exits are still managed). */
import { ok } from '../shared/core/result.js';
import { registerBotCommand } from './bots-command.js';

registerBotCommand({
  command: 'pause',
  prepare: ({ actor, nowMs }) => Promise.resolve(ok({ command: { type: 'pause', actor, atMs: nowMs }, input: {} })),
});
