/**
 * POST /api/bots/{id}/stop with `{ "closePosition": true|false }`: cancel the bot's orders and stop;
 * with closePosition the bot passes through `stopping` until its position is closed at the next bar.
 */
import { ok } from '../shared/core/result.js';
import { stopBotBodySchema } from '../shared/schemas/bots-schemas.js';
import { registerBotCommand } from './bots-command.js';

registerBotCommand({
  command: 'stop',
  body: stopBotBodySchema,
  prepare: ({ body, actor, nowMs }) =>
    Promise.resolve(ok({ command: { type: 'stop', closePosition: body.closePosition, actor, atMs: nowMs }, input: { closePosition: body.closePosition } })),
});
