/** Route params and bodies of the webhook management routes. */
import { z } from 'zod';
import { SIGNAL_ACTIONS } from '../bots/signal-order.js';

/** A bot id as any route names it; an id that cannot exist answers 404 like an unknown one. */
export const hookBotParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** `POST /api/bots/{id}/signals/test`: what the sample alert does (default: buy without a size, i.e. the bot's sizing). */
export const testSignalBodySchema = z
  .strictObject({
    action: z.enum(SIGNAL_ACTIONS, { error: `must be one of ${SIGNAL_ACTIONS.join(', ')}` }).optional(),
    quantity: z.number().finite().positive('must be greater than 0').optional(),
  })
  .optional();
