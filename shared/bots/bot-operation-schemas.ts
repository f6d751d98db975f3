/**
 * zod schemas of the bot entity's operation inputs. These are the entity's public contract: the bots
 * HTTP API signals `create`, `updateConfig`, `start`, `pause`, `resume`, `stop`, `kill`, `delete`,
 * admins `halt`, `resetFault`, `forceStop`; the account and the timer signal the rest.
 */
import { z } from 'zod';
import { accountUpdateSchema, barDeliverySchema, bookViewSchema } from './execution-messages.js';

const commandMeta = {
  /** Unique per command (a UUID from the API): a re-delivered command with a seen id does nothing. */
  commandId: z.string().min(1).max(100),
  /** Who: `user:<id>`, `token:<id>`, `admin:<id>` or `system`. */
  actor: z.string().min(1).max(200),
  atMs: z.number().int().nonnegative(),
};

export const connectionSnapshotSchema = z.object({
  exchangeId: z.string().min(1),
  mode: z.enum(['paper', 'sandbox', 'live']),
  paper: z
    .object({
      startingBalance: z.object({ currency: z.string().min(1), amount: z.number().finite().positive() }),
      feeRate: z.number().finite().min(0).lt(1).optional(),
      fixedFee: z.number().finite().min(0).optional(),
      slippageBps: z.number().finite().min(0).lt(10_000).optional(),
      maxVolumeShare: z.number().finite().positive().max(1).optional(),
    })
    .nullable(),
});

export const botOperationSchemas = {
  create: z.object({ ...commandMeta, config: z.unknown() }),
  /** `expectedConfigVersion`: the version the caller's change is based on (the API's If-Match); another version rejects it. */
  updateConfig: z.object({ ...commandMeta, config: z.unknown(), expectedConfigVersion: z.number().int().positive().optional() }),
  start: z.object({ ...commandMeta, connection: connectionSnapshotSchema }),
  pause: z.object(commandMeta),
  resume: z.object(commandMeta),
  stop: z.object({ ...commandMeta, closePosition: z.boolean().default(false) }),
  kill: z.object(commandMeta),
  halt: z.object({ ...commandMeta, code: z.string().min(1).max(100).default('BOT.HALTED_BY_ADMIN'), message: z.string().min(1).max(1000) }),
  resetFault: z.object(commandMeta),
  forceStop: z.object(commandMeta),
  delete: z.object(commandMeta),
  bar: barDeliverySchema,
  accountUpdate: accountUpdateSchema,
  reconcile: z.object({ atMs: z.number().int().nonnegative() }),
  reconcileResult: z.object({
    atMs: z.number().int().nonnegative(),
    attached: z.boolean(),
    view: bookViewSchema.nullable(),
    /** The account still waits for this bot's answer to a bar (its delivery was re-sent). */
    awaitingBarTimeMs: z.number().nullable(),
  }),
} as const;

export type BotOperation = keyof typeof botOperationSchemas;
export const BOT_OPERATIONS = Object.keys(botOperationSchemas) as BotOperation[];
export type BotOperationInput<O extends BotOperation> = z.infer<(typeof botOperationSchemas)[O]>;
