/** POST /api/bots/{id}/kill: cancel every order and flatten the position now, then stopped. */
import { ok } from '../shared/core/result.js';
import { registerBotCommand } from './bots-command.js';

registerBotCommand({
  command: 'kill',
  prepare: ({ actor, nowMs }) => Promise.resolve(ok({ command: { type: 'kill', actor, atMs: nowMs }, input: {} })),
});
