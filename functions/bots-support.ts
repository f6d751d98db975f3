/**
 * What the bots, kill-switch and admin functions share: their Cosmos repositories, who the actor is,
 * tenant-bound access to bot entities, and sending a command the way every route does it:
 *
 *   read the entity → the pure reducer checks the command against its state (409 at once when it
 *   does not fit) → signal it with a fresh command id → read the entity back until it shows that id
 *   → answer with the state after it (or, if the state moved on in between and the entity rejected
 *   it, 409 with the entity's reason, found in the bot's `command-rejected` event).
 *
 * The entity re-validates every command itself, so the API's check is an early answer, not the guard.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { BotRecordsRepository } from '../shared/adapters/cosmos/bot-records-repository.js';
import type { ConnectionsRepository } from '../shared/adapters/cosmos/connections-repository.js';
import { ensureCosmosSchema } from '../shared/adapters/cosmos/ensure-cosmos-schema.js';
import { KillSwitchRepository } from '../shared/adapters/cosmos/kill-switch-repository.js';
import type { AuthContext } from '../shared/auth/auth-context.js';
import type { BotConfig } from '../shared/bots/bot-config.js';
import { checkCommand, invalidTransition, VALID_IN, type BotCommand, type BotConnection } from '../shared/bots/bot-machine.js';
import type { BotEntityState } from '../shared/bots/bot-operations.js';
import type { BotDocument } from '../shared/bots/bot-records.js';
import { botEntityKey } from '../shared/bots/entity-keys.js';
import { appError, err, ok, type AppError, type Result } from '../shared/core/result.js';
import type { ConnectionRecord } from '../shared/domain/connection.js';
import { ENTITY } from '../shared/entity-names.js';
import type { ConnectionModeView } from '../shared/schemas/bots-views.js';
import type { EntityPort } from './bots-durable.js';
import * as runtime from './runtime.js';

export interface BotServices {
  readonly records: BotRecordsRepository;
  readonly killSwitch: KillSwitchRepository;
}

let services: Promise<BotServices> | undefined;

export function botServices(): Promise<BotServices> {
  if (!services) {
    services = build();
    // Cosmos may still be starting: the next request tries again.
    services.catch(() => (services = undefined));
  }
  return services;
}

async function build(): Promise<BotServices> {
  const schema = await ensureCosmosSchema(runtime.cosmosClient(), runtime.functionsConfig().COSMOS_DATABASE);
  const { bots, botEvents, botOrders, botEquity } = schema.containers;
  return { records: new BotRecordsRepository({ bots, botEvents, botOrders, botEquity }), killSwitch: new KillSwitchRepository(bots) };
}

/** 24 hex characters (see BOT_ID_PATTERN). */
export const newBotId = (): string => randomBytes(12).toString('hex');
export const newCommandId = (): string => randomUUID();

/** Who acts, as bot events record it: the signed-in user (their tenant) or the token. */
export function actorOf(auth: AuthContext): string {
  return auth.via === 'token' && auth.tokenId !== null ? `token:${auth.tokenId}` : `user:${auth.tenantId}`;
}

export const adminActorOf = (auth: AuthContext): string => `admin:${auth.tenantId}`;

export const ADMIN_ROLE = 'admin';

export function requireAdmin(auth: AuthContext): Result<void> {
  // Roles come from the SWA principal only; tokens never carry them (and admin routes refuse tokens).
  return auth.via === 'principal' && auth.roles.includes(ADMIN_ROLE) ? ok(undefined) : err(appError('FORBIDDEN', 'This route needs the admin role.'));
}

export const botNotFound = (): Result<never> => err(appError('NOT_FOUND', 'No such bot.'));

/** The tenant's bot document (deleted bots answer 404 like missing ones). */
export async function findBotDocument(records: BotRecordsRepository, tenantId: string, botId: string): Promise<Result<BotDocument>> {
  const found = await records.getBot(tenantId, botId);
  return found && !found.record.deleted ? ok(found.record) : botNotFound();
}

/** What the bot entity keeps about its connection, from the connection record when the bot starts. */
export function connectionSnapshot(record: ConnectionRecord): BotConnection {
  return { exchangeId: record.exchangeId, mode: record.mode, paper: record.paper ? { startingBalance: record.paper.startingBalance } : null };
}

/**
 * The connection a config names must be one of the tenant's; for a non-paper connection the market
 * must be on that exchange (a paper connection trades any market's bars).
 */
export async function checkBotConnection(connections: ConnectionsRepository, tenantId: string, config: BotConfig): Promise<Result<{ mode: ConnectionModeView }>> {
  const found = await connections.get(tenantId, config.connectionId);
  if (!found.ok) return invalidField('connectionId', 'is not one of your connections');
  const record = found.value.record;
  if (record.mode !== 'paper' && record.exchangeId !== config.market.exchange) {
    return invalidField('market.exchange', `must be ${record.exchangeId}, the exchange of the ${record.mode} connection`);
  }
  return ok({ mode: record.mode });
}

function invalidField(path: string, message: string): Result<never> {
  return err(appError('VALIDATION.FAILED', `The request is invalid: ${path}: ${message}.`, [{ path, message }]));
}

/** The mode of each named connection of the tenant (null: the connection does not exist any more). */
export async function connectionModes(connections: ConnectionsRepository, tenantId: string, ids: Iterable<string>): Promise<Map<string, ConnectionModeView | null>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map(async (id) => [id, await connections.get(tenantId, id)] as const));
  return new Map(found.map(([id, r]) => [id, r.ok ? r.value.record.mode : null]));
}

const POLL_START_MS = 5;
const POLL_MAX_MS = 100;
/** How long a command answer waits to read the state after it; beyond it the answer says `applied: false`. */
export const COMMAND_READ_BACK_MS = 10_000;

/** The caller's bot entities: every key is built from the caller's tenant, so no route can reach another's. */
export class TenantBotEntities {
  constructor(
    private readonly port: EntityPort,
    readonly tenantId: string,
  ) {}

  key(botId: string): string {
    return botEntityKey(this.tenantId, botId);
  }

  async read(botId: string): Promise<BotEntityState | undefined> {
    const read = await this.port.read(ENTITY.bot, this.key(botId));
    if (!read.exists || !isBotState(read.state)) return undefined;
    // Defence in depth: the key already names the tenant; a state that says otherwise is not this tenant's.
    return read.state.tenantId === this.tenantId && read.state.botId === botId ? read.state : undefined;
  }

  signal(botId: string, operation: string, input: unknown): Promise<void> {
    return this.port.signal(ENTITY.bot, this.key(botId), operation, input);
  }

  /**
   * Reads until the entity shows `commandId` — or, with `absentMeansApplied` (delete), is gone —
   * and answers `applied: false` with the last state read when that takes longer than `timeoutMs`.
   */
  async awaitCommand(
    botId: string,
    commandId: string,
    options: { readonly absentMeansApplied?: boolean; readonly timeoutMs?: number } = {},
  ): Promise<{ applied: boolean; state: BotEntityState | undefined }> {
    const absentMeansApplied = options.absentMeansApplied ?? true;
    const deadline = Date.now() + (options.timeoutMs ?? COMMAND_READ_BACK_MS);
    let wait = POLL_START_MS;
    for (;;) {
      const state = await this.read(botId);
      if (state === undefined ? absentMeansApplied : state.recentCommandIds.includes(commandId)) return { applied: true, state };
      if (Date.now() >= deadline) return { applied: false, state };
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(POLL_MAX_MS, wait * 2);
    }
  }
}

function isBotState(value: unknown): value is BotEntityState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<BotEntityState>;
  return typeof v.tenantId === 'string' && typeof v.botId === 'string' && typeof v.machine === 'object' && v.machine !== null && Array.isArray(v.recentCommandIds);
}

/** `BOT.INVALID_TRANSITION` when the command is not valid in the state at all (before any other check). */
export function checkTransition(state: BotEntityState, type: Exclude<BotCommand['type'], 'create'>): Result<void> {
  return VALID_IN[type].includes(state.machine.status) ? ok(undefined) : err(invalidTransition(state.machine.status, type));
}

export interface CommandOutcome {
  readonly commandId: string;
  readonly applied: boolean;
  /** The state after the command (or the last one read); undefined when the bot is gone (delete). */
  readonly state: BotEntityState | undefined;
}

export interface SendCommand {
  readonly entities: TenantBotEntities;
  readonly records: BotRecordsRepository;
  readonly botId: string;
  readonly state: BotEntityState;
  /** The command as the reducer sees it (checked against `state` before signalling). */
  readonly command: BotCommand;
  /** The entity operation and its input without the command metadata, which this adds. */
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
}

export async function sendBotCommand(send: SendCommand): Promise<Result<CommandOutcome>> {
  const checked = checkCommand(send.state.machine, send.command);
  if (!checked.ok) return withState(checked.error, send.state);
  const commandId = newCommandId();
  await send.entities.signal(send.botId, send.operation, { ...send.input, commandId, actor: send.command.actor, atMs: send.command.atMs });
  const after = await send.entities.awaitCommand(send.botId, commandId);
  if (after.applied && after.state !== undefined) {
    const rejection = await findRejection(send.records, send.entities.tenantId, send.botId, commandId, after.state);
    if (rejection) return err(rejection);
  }
  return ok({ commandId, applied: after.applied, state: after.state });
}

/** The entity's own reason when it rejected `commandId` (the state changed between our check and its turn). */
async function findRejection(records: BotRecordsRepository, tenantId: string, botId: string, commandId: string, state: BotEntityState): Promise<AppError | undefined> {
  const page = await records.listEvents(tenantId, botId, { limit: 20 }, ['command-rejected']);
  if (!page.ok) return undefined;
  const event = page.value.items.map((s) => s.record).find((e) => e.data.commandId === commandId);
  if (!event) return undefined;
  const details = typeof event.data.details === 'object' && event.data.details !== null ? event.data.details : {};
  return appError(event.code ?? 'CONFLICT', event.message, { ...details, state: state.machine.status });
}

/** Error details always name the bot's current state. */
function withState(error: AppError, state: BotEntityState): Result<never> {
  const details = typeof error.details === 'object' && error.details !== null ? error.details : {};
  return err(appError(error.code, error.message, { ...details, state: state.machine.status }));
}
