/**
 * Request bodies, route params and queries of /api/bots, /api/kill-switch and /api/admin, shared with
 * the site. Unknown keys are refused everywhere. A bot's full config is validated by the bot config
 * schema of the execution layer (`shared/bots/bot-config.ts`), including the strategy's own params
 * schema; these schemas only shape what the HTTP API accepts.
 */
import { z } from 'zod';
import { botConfigInputSchema, botMarketSchema, botSizingSchema, type BotConfig } from '../bots/bot-config.js';
import { BOT_EVENT_TYPES } from '../bots/bot-records.js';
import { marketRulesSchema, riskLimitsSchema } from '../risk/risk-limits.js';
import { listQuerySchema } from './paging-schemas.js';
import { displayText } from './text-fields.js';

/** Bot ids are 24 hex characters: `{botId}-{seq}` client order ids then fit the 36-character limit of the strictest venues. */
export const BOT_ID_PATTERN = /^[0-9a-f]{24}$/;
export const CONNECTION_ID_PATTERN = /^[0-9a-f]{32}$/;

export const botIdParams = z.object({ id: z.string().regex(BOT_ID_PATTERN) });

/** The commands of `POST /api/bots/{id}/{command}`. */
export const BOT_API_COMMANDS = ['start', 'pause', 'resume', 'stop', 'kill'] as const;
export type BotApiCommand = (typeof BOT_API_COMMANDS)[number];

const connectionId = z.string().regex(CONNECTION_ID_PATTERN, 'must be the id of one of your connections');

/** POST /api/bots: a full bot config (defaults fill sizing, capital, risk limits and market rules). */
export const createBotBodySchema = botConfigInputSchema.extend({
  name: displayText(100),
  connectionId,
});

/** Every field of a config section, optional and without its default: a patch names only what changes. */
function patchOf<S extends Record<string, z.ZodDefault<z.ZodType>>>(shape: S) {
  const fields = Object.entries(shape).map(([key, schema]) => [key, schema.unwrap().optional()]);
  return z.strictObject(Object.fromEntries(fields) as { [K in keyof S]: z.ZodOptional<ReturnType<S[K]['unwrap']>> });
}

/**
 * PATCH /api/bots/{id}: the fields to change. `risk`, `marketRules`, `market` and (for the same
 * strategy) `strategy.params` are merged into the current values field by field; `null` removes a
 * risk limit. A new `strategy.id` replaces the params (defaults fill what is not given).
 */
export const patchBotBodySchema = z
  .strictObject({
    name: displayText(100).optional(),
    connectionId: connectionId.optional(),
    market: botMarketSchema.partial().optional(),
    strategy: z.strictObject({ id: z.string().min(1).max(64).optional(), params: z.record(z.string(), z.unknown()).optional() }).optional(),
    sizing: botSizingSchema.optional(),
    capital: z.number().finite().positive().nullable().optional(),
    risk: patchOf(riskLimitsSchema.shape).optional(),
    marketRules: patchOf(marketRulesSchema.shape).optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), {
    message: 'must change at least one of name, connectionId, market, strategy, sizing, capital, risk, marketRules',
  });

/** POST /api/bots/{id}/stop: say explicitly whether to close the position (a forgotten flag must not leave one open silently). */
export const stopBotBodySchema = z.strictObject({ closePosition: z.boolean({ error: 'must be true or false' }) });

/** POST /api/kill-switch. */
export const killSwitchBodySchema = z.strictObject({
  engaged: z.boolean({ error: 'must be true or false' }),
  /** With `engaged: true`: flatten every position now (each bot gets `kill`) instead of only cancelling orders (`stop`). */
  flatten: z.boolean({ error: 'must be true or false' }).optional(),
}).refine((body) => body.engaged || body.flatten === undefined, { path: ['flatten'], message: 'only goes with engaged: true' });

/** GET /api/bots/{id}/events: optionally one event type (e.g. `config-version` for the config history). */
export const botEventsQuerySchema = listQuerySchema.extend({
  type: z.enum(BOT_EVENT_TYPES, { error: `must be one of ${BOT_EVENT_TYPES.join(', ')}` }).optional(),
});

export const ADMIN_ENTITY_NAMES = ['bot', 'account'] as const;
export type AdminEntityName = (typeof ADMIN_ENTITY_NAMES)[number];
const adminEntityName = z.enum(ADMIN_ENTITY_NAMES, { error: `must be one of ${ADMIN_ENTITY_NAMES.join(', ')}` });

export const adminEntitiesQuerySchema = listQuerySchema.extend({ name: adminEntityName });

/** Entity ids in admin routes are the id part of the key; the tenant part always comes from the caller. */
export const adminEntityParams = z.object({ name: adminEntityName, key: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** Operations admins may send, per entity. */
export const ADMIN_OPERATIONS = { bot: ['forceStop', 'resetFault', 'halt'], account: [] } as const satisfies Record<AdminEntityName, readonly string[]>;

export const adminOperationParams = adminEntityParams.extend({ operation: z.enum(['forceStop', 'resetFault', 'halt']) });

/** Body of an admin operation: `halt` needs a reason (it becomes the halt message); the others take no body. */
export const adminOperationBodySchema = z.strictObject({ reason: displayText(500).optional() }).optional();

export type CreateBotBody = z.infer<typeof createBotBodySchema>;
export type PatchBotBody = z.infer<typeof patchBotBodySchema>;
export type StopBotBody = z.infer<typeof stopBotBodySchema>;
export type KillSwitchBody = z.infer<typeof killSwitchBodySchema>;
export type BotEventsQuery = z.infer<typeof botEventsQuerySchema>;
export type AdminEntitiesQuery = z.infer<typeof adminEntitiesQuerySchema>;

const definedOnly = <T extends object>(value: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * The config a PATCH asks for, unvalidated (the caller runs it through `parseBotConfig`): sections
 * merged field by field into the current config; params of a different strategy start from scratch.
 */
export function applyBotPatch(current: BotConfig, patch: PatchBotBody): unknown {
  const strategyId = patch.strategy?.id ?? current.strategy.id;
  const params = strategyId === current.strategy.id ? { ...current.strategy.params, ...definedOnly(patch.strategy?.params) } : { ...definedOnly(patch.strategy?.params) };
  return {
    schemaVersion: current.schemaVersion,
    name: patch.name ?? current.name,
    connectionId: patch.connectionId ?? current.connectionId,
    market: { ...current.market, ...definedOnly(patch.market) },
    strategy: { id: strategyId, params },
    sizing: patch.sizing ?? current.sizing,
    capital: patch.capital === undefined ? current.capital : patch.capital,
    risk: { ...current.risk, ...definedOnly(patch.risk) },
    marketRules: { ...current.marketRules, ...definedOnly(patch.marketRules) },
  };
}
