/**
 * The bot lifecycle as a pure reducer: `step(state, command) → Result<{ state, effects }>`.
 *
 *   draft ──start──▶ running ──pause──▶ paused ──resume──▶ running
 *   running/paused ──halt (risk)──▶ halted ──resume──▶ running
 *   running/paused/halted/faulted ──stop{closePosition:false}──▶ stopped
 *   running/paused/halted/faulted ──stop{closePosition:true}──▶ stopping ──(flat)──▶ stopped
 *   running/paused/halted/stopping/faulted ──kill──▶ stopped (cancel all, flatten now)
 *   any active ──fault──▶ faulted ──resetFault──▶ paused
 *   anything but stopped ──forceStop (admin)──▶ stopped, no orders
 *   stopped ──start──▶ running
 *
 * A command that does not fit the state fails with `BOT.INVALID_TRANSITION` carrying the current
 * state and the states the command is valid in. Effects say what the entity must do; the reducer
 * does no I/O.
 */
import { appError, err, ok, type AppError, type Result } from '../core/result.js';
import { isTightening } from '../risk/risk-limits.js';
import { diffConfig, type BotConfig } from './bot-config.js';

export const BOT_STATUSES = ['draft', 'running', 'paused', 'halted', 'stopping', 'stopped', 'faulted'] as const;
export type BotStatus = (typeof BOT_STATUSES)[number];

export const BOT_ERRORS = {
  invalidTransition: 'BOT.INVALID_TRANSITION',
  configLocked: 'BOT.CONFIG_LOCKED',
  notFound: 'BOT.NOT_FOUND',
  alreadyExists: 'BOT.ALREADY_EXISTS',
} as const;

/** The connection the bot trades through, as the API read it when the bot was started. */
export interface BotConnection {
  readonly exchangeId: string;
  readonly mode: 'paper' | 'sandbox' | 'live';
  readonly paper: {
    readonly startingBalance: { readonly currency: string; readonly amount: number };
    /** Execution settings of the paper exchange; absent fields are 0 / no partial fills. */
    readonly feeRate?: number | undefined;
    readonly fixedFee?: number | undefined;
    readonly slippageBps?: number | undefined;
    readonly maxVolumeShare?: number | undefined;
  } | null;
}

export interface Actor {
  /** `user:<id>`, `token:<id>`, `admin:<id>` or `system`. */
  readonly actor: string;
  readonly atMs: number;
}

export type BotCommand =
  | ({ readonly type: 'create'; readonly config: BotConfig } & Actor)
  | ({ readonly type: 'updateConfig'; readonly config: BotConfig; readonly expectedConfigVersion?: number } & Actor)
  | ({ readonly type: 'start'; readonly connection: BotConnection } & Actor)
  | ({ readonly type: 'pause' } & Actor)
  | ({ readonly type: 'resume' } & Actor)
  | ({ readonly type: 'stop'; readonly closePosition: boolean } & Actor)
  | ({ readonly type: 'kill' } & Actor)
  | ({ readonly type: 'halt'; readonly code: string; readonly message: string } & Actor)
  | ({ readonly type: 'resetFault' } & Actor)
  | ({ readonly type: 'forceStop' } & Actor)
  | ({ readonly type: 'delete' } & Actor)
  | ({ readonly type: 'fault'; readonly message: string } & Actor)
  | ({ readonly type: 'stopCompleted' } & Actor);

export type BotCommandType = BotCommand['type'];

/** The commands a person or the API may send (the rest are raised by the bot itself or admins). */
export const PUBLIC_COMMANDS = ['create', 'updateConfig', 'start', 'pause', 'resume', 'stop', 'kill', 'delete'] as const;

export interface BotMachineState {
  readonly status: BotStatus;
  readonly config: BotConfig;
  readonly configVersion: number;
  /** The config version the bot last started or resumed with; null before the first start. */
  readonly runningConfigVersion: number | null;
  readonly connection: BotConnection | null;
  /** Why the bot is halted, faulted or stopping. */
  readonly reason: { readonly code: string; readonly message: string } | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export type BotEffect =
  /** Subscribe to the market and attach a book at the account. */
  | { readonly type: 'attach' }
  /** Unsubscribe and detach from the account (the book and any position stay there). */
  | { readonly type: 'detach' }
  | { readonly type: 'cancelAll'; readonly reason: string }
  /** Close the position with a market order at the next bar. */
  | { readonly type: 'closePosition'; readonly reason: string }
  /** Cancel all and close the position now at the last price. */
  | { readonly type: 'flatten'; readonly reason: string }
  | { readonly type: 'resetStrategy' }
  | { readonly type: 'configVersion'; readonly version: number; readonly changes: readonly string[] }
  | { readonly type: 'statusChanged'; readonly from: BotStatus | null; readonly to: BotStatus }
  | { readonly type: 'deleted' };

export interface Transition {
  readonly state: BotMachineState;
  readonly effects: readonly BotEffect[];
}

/** States each command is valid in (`create` is valid only when the bot does not exist). */
export const VALID_IN: Readonly<Record<Exclude<BotCommandType, 'create'>, readonly BotStatus[]>> = {
  updateConfig: ['draft', 'running', 'paused', 'halted', 'stopped'],
  start: ['draft', 'stopped'],
  pause: ['running'],
  resume: ['paused', 'halted'],
  stop: ['running', 'paused', 'halted', 'faulted'],
  kill: ['running', 'paused', 'halted', 'stopping', 'faulted'],
  halt: ['running', 'paused'],
  resetFault: ['faulted'],
  forceStop: ['draft', 'running', 'paused', 'halted', 'stopping', 'faulted'],
  delete: ['draft', 'stopped'],
  fault: ['running', 'paused', 'halted', 'stopping'],
  stopCompleted: ['stopping'],
};

/** States in which the bot receives bars. */
export const ATTACHED_STATUSES: readonly BotStatus[] = ['running', 'paused', 'halted', 'stopping', 'faulted'];

export function invalidTransition(status: BotStatus, command: BotCommandType): AppError {
  const validIn = command === 'create' ? [] : VALID_IN[command];
  return appError(
    BOT_ERRORS.invalidTransition,
    command === 'create' ? `The bot already exists (state ${status}).` : `Cannot ${command} a bot that is ${status}; ${command} is valid when the bot is ${validIn.join(', ')}.`,
    { state: status, command, validIn },
  );
}

/** Checks a command against the state without applying it (the API answers 409 with this before signalling). */
export function checkCommand(state: BotMachineState | undefined, command: BotCommand): Result<void> {
  const result = step(state, command);
  return result.ok ? ok(undefined) : result;
}

export function step(state: BotMachineState | undefined, command: BotCommand): Result<Transition> {
  if (state === undefined) {
    if (command.type !== 'create') return err(appError(BOT_ERRORS.notFound, 'No such bot.', { command: command.type }));
    const created: BotMachineState = {
      status: 'draft', config: command.config, configVersion: 1, runningConfigVersion: null, connection: null, reason: null,
      createdAtMs: command.atMs, updatedAtMs: command.atMs,
    };
    return ok({ state: created, effects: [{ type: 'configVersion', version: 1, changes: [] }, { type: 'statusChanged', from: null, to: 'draft' }] });
  }
  if (command.type === 'create') return err(invalidTransition(state.status, 'create'));
  if (!VALID_IN[command.type].includes(state.status)) return err(invalidTransition(state.status, command.type));
  const at = command.atMs;
  const to = (status: BotStatus, effects: BotEffect[], patch: Partial<BotMachineState> = {}): Result<Transition> =>
    ok({
      state: { ...state, ...patch, status, updatedAtMs: at },
      effects: status === state.status ? effects : [...effects, { type: 'statusChanged', from: state.status, to: status }],
    });

  switch (command.type) {
    case 'updateConfig':
      return updateConfig(state, command.config, at, command.expectedConfigVersion);
    case 'start':
      return to('running', [{ type: 'attach' }], { connection: command.connection, runningConfigVersion: state.configVersion, reason: null });
    case 'pause':
      return to('paused', []);
    case 'resume':
      return to('running', [], { runningConfigVersion: state.configVersion, reason: null });
    case 'stop':
      return command.closePosition
        ? to('stopping', [{ type: 'cancelAll', reason: 'stop' }, { type: 'closePosition', reason: 'stop with closePosition' }], { reason: { code: 'BOT.STOPPING', message: 'closing the position before stopping' } })
        : to('stopped', [{ type: 'cancelAll', reason: 'stop' }, { type: 'detach' }], { reason: null });
    case 'kill':
      return to('stopped', [{ type: 'flatten', reason: 'kill' }, { type: 'detach' }], { reason: { code: 'BOT.KILLED', message: 'killed: orders cancelled and position flattened' } });
    case 'halt':
      return to('halted', [{ type: 'cancelAll', reason: command.code }], { reason: { code: command.code, message: command.message } });
    case 'fault':
      return to('faulted', [{ type: 'cancelAll', reason: 'fault' }], { reason: { code: 'BOT.FAULTED', message: command.message } });
    case 'resetFault':
      return to('paused', [], { reason: null });
    case 'forceStop':
      return to('stopped', state.status === 'draft' ? [] : [{ type: 'detach' }], { reason: { code: 'BOT.FORCE_STOPPED', message: `force-stopped by ${command.actor}` } });
    case 'stopCompleted':
      return to('stopped', [{ type: 'detach' }], { reason: null });
    case 'delete':
      return ok({ state: { ...state, updatedAtMs: at }, effects: [{ type: 'deleted' }] });
  }
}

/**
 * Strategy, sizing and market may change in draft, paused and stopped (market and connection only in
 * draft and stopped: a paused bot may hold a position there). While running or halted only the risk
 * limits may change, and only to tighten them.
 */
function updateConfig(state: BotMachineState, config: BotConfig, atMs: number, expectedConfigVersion: number | undefined): Result<Transition> {
  // Checked here, in the entity's turn, and not only at the API: two changes based on the same
  // version must not both apply (the second would silently undo the first).
  if (expectedConfigVersion !== undefined && expectedConfigVersion !== state.configVersion) {
    return err(appError('CONFLICT', `The bot's config changed since you read it (version ${expectedConfigVersion}, now ${state.configVersion}). Read it again and retry.`, { reason: 'etag-mismatch', state: state.status }));
  }
  const changes = diffConfig(state.config, config);
  if (changes.length === 0) return ok({ state, effects: [] });
  const locked = (message: string): Result<Transition> => err(appError(BOT_ERRORS.configLocked, message, { state: state.status, changes }));
  if (state.status === 'running' || state.status === 'halted') {
    const nonRisk = changes.filter((path) => !path.startsWith('risk.'));
    if (nonRisk.length > 0) return locked(`A ${state.status} bot accepts only tighter risk limits; pause or stop it to change ${nonRisk.join(', ')}.`);
    if (!isTightening(state.config.risk, config.risk)) return locked(`A ${state.status} bot accepts only tighter risk limits (lower values, or new limits).`);
  }
  if (state.status === 'paused') {
    const moving = changes.filter((path) => path.startsWith('market.') || path === 'connectionId' || path === 'capital');
    if (moving.length > 0) return locked(`A paused bot may hold a position: stop it to change ${moving.join(', ')}.`);
  }
  const version = state.configVersion + 1;
  const strategyChanged = changes.some((path) => path.startsWith('strategy.'));
  const effects: BotEffect[] = [{ type: 'configVersion', version, changes }];
  if (strategyChanged) effects.push({ type: 'resetStrategy' });
  return ok({ state: { ...state, config, configVersion: version, updatedAtMs: atMs }, effects });
}
