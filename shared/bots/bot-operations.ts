/**
 * The bot entity's behaviour as one pure function: (state, operation, input, now) → new state, the
 * signals to send and the records to write. `durable/bot.entity.ts` only parses, calls this, writes
 * the records, sends the signals and saves the state — in that order, so a failed write leaves the
 * state untouched (Azure does not roll back a failed operation's `setState`).
 *
 * Re-running an operation (after a crash) yields the same ids for everything it writes; commands carry
 * a `commandId` and a seen id is ignored; bars not newer than the last are ignored (and answered again).
 */
import { appError, err, ok, type AppError, type Result } from '../core/result.js';
import type { OrderIntent } from '../trading/strategies/strategy.js';
import { parseBotConfig, type BotConfig } from './bot-config.js';
import type { BotCommand, BotEffect, BotMachineState, BotStatus } from './bot-machine.js';
import { ATTACHED_STATUSES, step } from './bot-machine.js';
import { botOperationSchemas, type BotOperation } from './bot-operation-schemas.js';
import type { BotDocument, BotEquityRecord, BotEvent, BotEventType, BotOrderRecord } from './bot-records.js';
import { TERMINAL_ORDER_STATUSES } from './bot-records.js';
import type { BarOutcome, BotEventDraft, BotRunnerState } from './bot-runner.js';
import { absorbAccountUpdate, allocateOrder, NEW_RUNNER_STATE, runBar } from './bot-runner.js';
import { accountEntityKey } from './entity-keys.js';
import type { PaperOrderRequest } from './execution-messages.js';
import { marketKey } from './execution-messages.js';

export const ENTITY_NAMES = { bot: 'bot', account: 'account', market: 'market' } as const;

const RECENT_COMMANDS = 64;

export interface BotEntityState {
  readonly v: 1;
  readonly tenantId: string;
  readonly botId: string;
  readonly machine: BotMachineState;
  readonly runner: BotRunnerState;
  /** Last event sequence number written. */
  readonly eventSeq: number;
  readonly recentCommandIds: readonly string[];
  /** Orders not yet in a terminal status. */
  readonly openOrders: Readonly<Record<string, BotOrderRecord>>;
}

export interface OutSignal {
  readonly entity: 'account' | 'market';
  readonly key: string;
  readonly op: string;
  readonly input: unknown;
}

export interface BotWrites {
  readonly events: readonly BotEvent[];
  readonly orders: readonly BotOrderRecord[];
  readonly equity: readonly BotEquityRecord[];
  /** The bot document when status or config changed. */
  readonly document: BotDocument | null;
}

export interface BotOperationResult {
  /** null: the entity is deleted. Unchanged state is returned as is. */
  readonly state: BotEntityState | null;
  readonly signals: readonly OutSignal[];
  readonly writes: BotWrites;
  /** A command that did not fit (also recorded as a `command-rejected` event). */
  readonly rejected: AppError | null;
}

/** Accumulates what one operation does. */
class OperationContext {
  readonly signals: OutSignal[] = [];
  readonly events: BotEvent[] = [];
  readonly equity: BotEquityRecord[] = [];
  readonly orderWrites = new Map<string, BotOrderRecord>();
  /** Orders raised by effects; sent with the bar's answer when the operation is a bar. */
  readonly effectOrders: PaperOrderRequest[] = [];
  documentChanged = false;
  deleted = false;
  rejected: AppError | null = null;
  constructor(
    public state: BotEntityState,
    readonly nowMs: number,
  ) {}

  event(type: BotEventType, message: string, data: Record<string, unknown>, extra: { code?: string | null; barTimeMs?: number | null } = {}): void {
    const seq = this.state.eventSeq + 1;
    this.state = { ...this.state, eventSeq: seq };
    this.events.push({
      id: `${this.state.botId}-e${seq}`, tenantId: this.state.tenantId, botId: this.state.botId, seq, type, atMs: this.nowMs,
      barTimeMs: extra.barTimeMs ?? null, message, code: extra.code ?? null, data,
    });
  }

  /** An order open before this operation, or one it already wrote (a fill can follow its order's terminal update). */
  order(clientOrderId: string): BotOrderRecord | undefined {
    return this.state.openOrders[clientOrderId] ?? this.orderWrites.get(clientOrderId);
  }

  setOrder(record: BotOrderRecord): void {
    this.orderWrites.set(record.id, record);
    const open = { ...this.state.openOrders };
    if (TERMINAL_ORDER_STATUSES.includes(record.status)) delete open[record.id];
    else open[record.id] = record;
    this.state = { ...this.state, openOrders: open };
  }
}

export function handleBotOperation(
  current: BotEntityState | undefined,
  key: { tenantId: string; botId: string },
  operation: string,
  rawInput: unknown,
  nowMs: number,
): Result<BotOperationResult> {
  if (!(operation in botOperationSchemas)) return err(appError('BOT.UNKNOWN_OPERATION', `bot: unknown operation "${operation}".`));
  const op = operation as BotOperation;
  const parsed = botOperationSchemas[op].safeParse(rawInput);
  if (!parsed.success) {
    return err(appError('BOT.INVALID_INPUT', `bot.${op}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`));
  }
  const input = parsed.data;
  if (op === 'bar' || op === 'accountUpdate' || op === 'reconcile' || op === 'reconcileResult') {
    if (!current) return ok(unchanged(undefined)); // an entity that does not exist has nothing to run
    const ctx = new OperationContext(current, nowMs);
    if (op === 'bar') onBar(ctx, botOperationSchemas.bar.parse(input));
    else if (op === 'accountUpdate') onAccountUpdate(ctx, botOperationSchemas.accountUpdate.parse(input));
    else if (op === 'reconcile') onReconcile(ctx);
    else onReconcileResult(ctx, botOperationSchemas.reconcileResult.parse(input));
    return ok(finish(ctx));
  }
  const meta = input as { commandId: string; actor: string; atMs: number };
  if (current?.recentCommandIds.includes(meta.commandId)) return ok(unchanged(current));
  const command = toCommand(op, input);
  if (!command.ok) return command.error.code === 'BOT.INVALID_CONFIG' && current ? ok(rejectCommand(current, nowMs, op, meta, command.error)) : command;
  return ok(applyCommand(current, key, command.value, meta, nowMs));
}

function unchanged(state: BotEntityState | undefined): BotOperationResult {
  return { state: state ?? null, signals: [], writes: { events: [], orders: [], equity: [], document: null }, rejected: null };
}

function toCommand(op: BotOperation, input: unknown): Result<BotCommand> {
  const meta = input as { actor: string; atMs: number };
  const base = { actor: meta.actor, atMs: meta.atMs };
  switch (op) {
    case 'create': {
      const config = parseBotConfig((input as { config: unknown }).config);
      if (!config.ok) return config;
      return ok({ type: op, config: config.value, ...base });
    }
    case 'updateConfig': {
      const config = parseBotConfig((input as { config: unknown }).config);
      if (!config.ok) return config;
      const { expectedConfigVersion } = botOperationSchemas.updateConfig.parse(input);
      return ok({ type: op, config: config.value, ...(expectedConfigVersion === undefined ? {} : { expectedConfigVersion }), ...base });
    }
    case 'start':
      return ok({ type: 'start', connection: botOperationSchemas.start.parse(input).connection, ...base });
    case 'stop':
      return ok({ type: 'stop', closePosition: botOperationSchemas.stop.parse(input).closePosition, ...base });
    case 'halt': {
      const halt = botOperationSchemas.halt.parse(input);
      return ok({ type: 'halt', code: halt.code, message: halt.message, ...base });
    }
    case 'pause':
    case 'resume':
    case 'kill':
    case 'resetFault':
    case 'forceStop':
    case 'delete':
      return ok({ type: op, ...base });
    default:
      return err(appError('BOT.UNKNOWN_OPERATION', `bot: ${op} is not a command.`));
  }
}

function rememberCommand(state: BotEntityState, commandId: string): BotEntityState {
  return { ...state, recentCommandIds: [...state.recentCommandIds, commandId].slice(-RECENT_COMMANDS) };
}

function rejectCommand(current: BotEntityState, nowMs: number, op: string, meta: { commandId: string; actor: string }, error: AppError): BotOperationResult {
  const ctx = new OperationContext(rememberCommand(current, meta.commandId), nowMs);
  ctx.rejected = error;
  ctx.event('command-rejected', error.message, { command: op, commandId: meta.commandId, actor: meta.actor, details: error.details ?? null }, { code: error.code });
  return finish(ctx);
}

function applyCommand(
  current: BotEntityState | undefined,
  key: { tenantId: string; botId: string },
  command: BotCommand,
  meta: { commandId: string; actor: string },
  nowMs: number,
): BotOperationResult {
  const transition = step(current?.machine, command);
  if (!transition.ok) {
    // A bot that does not exist has nowhere to record the refusal: the caller gets it (and logs it).
    if (!current) return { ...unchanged(undefined), rejected: transition.error };
    return rejectCommand(current, nowMs, command.type, meta, transition.error);
  }
  const machine = transition.value.state;
  const base: BotEntityState = current
    ? { ...current, machine }
    : { v: 1, tenantId: key.tenantId, botId: key.botId, machine, runner: NEW_RUNNER_STATE, eventSeq: 0, recentCommandIds: [], openOrders: {} };
  const ctx = new OperationContext(rememberCommand(base, meta.commandId), nowMs);
  ctx.event('command', `${command.type} by ${meta.actor}`, { command: command.type, commandId: meta.commandId, actor: meta.actor, ...commandData(command) }, { code: null });
  applyEffects(ctx, transition.value.effects, command.actor, null);
  afterEffects(ctx, null);
  return finish(ctx);
}

function commandData(command: BotCommand): Record<string, unknown> {
  if (command.type === 'stop') return { closePosition: command.closePosition };
  if (command.type === 'halt') return { code: command.code, message: command.message };
  return {};
}

/** Turns machine effects into signals, orders and events. */
function applyEffects(ctx: OperationContext, effects: readonly BotEffect[], actor: string, barTimeMs: number | null): void {
  for (const effect of effects) {
    const s = ctx.state;
    const machine = s.machine;
    switch (effect.type) {
      case 'configVersion':
        ctx.documentChanged = true;
        ctx.event('config-version', `config version ${effect.version}${effect.changes.length ? `: ${effect.changes.join(', ')} changed` : ''}`, {
          version: effect.version, changes: effect.changes, changedBy: actor, config: machine.config,
        });
        break;
      case 'statusChanged':
        ctx.documentChanged = true;
        ctx.event('state-change', `${effect.from ?? 'new'} → ${effect.to}${machine.reason ? ` (${machine.reason.message})` : ''}`, { from: effect.from, to: effect.to, reason: machine.reason }, { code: machine.reason?.code ?? null, barTimeMs });
        break;
      case 'resetStrategy':
        ctx.state = { ...s, runner: { ...s.runner, strategyState: null } };
        break;
      case 'attach':
        attach(ctx);
        break;
      case 'detach':
        ctx.signals.push({ entity: 'account', key: accountKeyOf(s), op: 'detach', input: { botId: s.botId } });
        ctx.signals.push({ entity: 'market', key: marketKey(machine.config.market), op: 'unsubscribe', input: { tenantId: s.tenantId, botId: s.botId } });
        break;
      case 'cancelAll':
        if (s.runner.view && (s.runner.view.openOrders.length > 0 || Object.keys(s.openOrders).length > 0)) {
          placeEffectOrder(ctx, { kind: 'cancel', reason: `cancel all: ${effect.reason}` }, barTimeMs);
        }
        break;
      case 'closePosition':
        if (s.runner.view && s.runner.view.positionSide !== 0) placeEffectOrder(ctx, { kind: 'exit', type: 'market', reason: `close position: ${effect.reason}` }, barTimeMs);
        break;
      case 'flatten': {
        const placed = allocateOrder(s.botId, s.runner, { kind: 'exit', type: 'market', reason: `flatten: ${effect.reason}` });
        ctx.state = { ...s, runner: placed.state };
        recordNewOrder(ctx, placed.order, barTimeMs);
        ctx.signals.push({ entity: 'account', key: accountKeyOf(s), op: 'flatten', input: { botId: s.botId, clientOrderId: placed.order.clientOrderId, seq: placed.order.seq } });
        break;
      }
      case 'deleted':
        ctx.deleted = true;
        ctx.documentChanged = true;
        break;
    }
  }
}

function attach(ctx: OperationContext): void {
  const s = ctx.state;
  const { config, connection } = s.machine;
  const paper = connection?.paper;
  const capital = config.capital ?? paper?.startingBalance.amount ?? 0;
  ctx.signals.push({
    entity: 'account',
    key: accountKeyOf(s),
    op: 'attach',
    input: {
      botId: s.botId,
      settings: { market: marketKey(config.market), capital, sizing: config.sizing, lotStep: config.marketRules.lotStep, shortAllowed: config.marketRules.shortAllowed },
      account: {
        currency: paper?.startingBalance.currency ?? 'USD',
        startingBalance: paper?.startingBalance.amount ?? capital,
        execution: { feeRate: paper?.feeRate ?? 0, fixedFee: paper?.fixedFee ?? 0, slippageBps: paper?.slippageBps ?? 0, maxVolumeShare: paper?.maxVolumeShare ?? null },
      },
    },
  });
  ctx.signals.push({ entity: 'market', key: marketKey(config.market), op: 'subscribe', input: { tenantId: s.tenantId, botId: s.botId, connectionId: config.connectionId } });
}

function placeEffectOrder(ctx: OperationContext, intent: OrderIntent, barTimeMs: number | null): void {
  const placed = allocateOrder(ctx.state.botId, ctx.state.runner, intent);
  ctx.state = { ...ctx.state, runner: placed.state };
  recordNewOrder(ctx, placed.order, barTimeMs);
  ctx.effectOrders.push(placed.order);
}

function recordNewOrder(ctx: OperationContext, order: PaperOrderRequest, barTimeMs: number | null): void {
  ctx.event('order', `order ${order.clientOrderId}: ${describeIntent(order.intent)}`, { clientOrderId: order.clientOrderId, intent: order.intent }, { barTimeMs });
  ctx.setOrder({
    id: order.clientOrderId, tenantId: ctx.state.tenantId, botId: ctx.state.botId, seq: order.seq, intent: order.intent, status: 'sent', statusReason: 'sent to the account',
    barTimeMs, filledQuantity: 0, averagePrice: null, fees: 0, createdAtMs: ctx.nowMs, updatedAtMs: ctx.nowMs,
  });
}

/** Orders raised by effects outside a bar go to the account at once. */
function afterEffects(ctx: OperationContext, bar: { barTimeMs: number } | null): void {
  if (bar === null && ctx.effectOrders.length > 0) {
    ctx.signals.push({ entity: 'account', key: accountKeyOf(ctx.state), op: 'orders', input: { botId: ctx.state.botId, orders: [...ctx.effectOrders] } });
    ctx.effectOrders.length = 0;
  }
  // Stopping with nothing to close: done now.
  const s = ctx.state;
  if (s.machine.status === 'stopping' && (s.runner.view === null || s.runner.view.positionSide === 0) && ctx.effectOrders.length === 0 && !hasPendingExit(s)) {
    internal(ctx, { type: 'stopCompleted', actor: 'system', atMs: ctx.nowMs }, bar?.barTimeMs ?? null);
  }
}

function hasPendingExit(s: BotEntityState): boolean {
  return Object.values(s.openOrders).some((o) => o.intent.kind === 'exit');
}

function internal(ctx: OperationContext, command: BotCommand, barTimeMs: number | null): void {
  const transition = step(ctx.state.machine, command);
  if (!transition.ok) return;
  ctx.state = { ...ctx.state, machine: transition.value.state };
  applyEffects(ctx, transition.value.effects, command.actor, barTimeMs);
}

function onBar(ctx: OperationContext, delivery: Parameters<typeof runBar>[0]['delivery']): void {
  const s = ctx.state;
  const outcome = runBar({ botId: s.botId, status: s.machine.status, config: s.machine.config, state: s.runner, delivery });
  if (outcome.ignored) {
    ctx.signals.push({ entity: 'account', key: accountKeyOf(s), op: 'barDone', input: { botId: s.botId, barTimeMs: outcome.ack.barTimeMs, orders: outcome.ack.orders } });
    return;
  }
  ctx.state = { ...s, runner: outcome.state };
  recordDrafts(ctx, outcome.events);
  if (outcome.equity) ctx.equity.push({ id: `${s.botId}-b${outcome.equity.barTimeMs}`, tenantId: s.tenantId, botId: s.botId, ...outcome.equity });
  const barTimeMs = delivery.bar.timeMs;
  applyOutcomeTransitions(ctx, outcome, barTimeMs);
  // Effect orders (halt → cancel all) ride with the bar's answer so the account applies them before the next bar.
  const orders = [...outcome.ack.orders, ...ctx.effectOrders];
  ctx.effectOrders.length = 0;
  ctx.state = { ...ctx.state, runner: { ...ctx.state.runner, lastAck: { barTimeMs, orders } } };
  const signalsAfterAck = ctx.signals.splice(0);
  ctx.signals.push({ entity: 'account', key: accountKeyOf(s), op: 'barDone', input: { botId: s.botId, barTimeMs, orders } });
  ctx.signals.push(...signalsAfterAck);
}

function applyOutcomeTransitions(ctx: OperationContext, outcome: BarOutcome, barTimeMs: number): void {
  if (outcome.fault !== null) {
    ctx.event('fault', outcome.fault, {}, { code: 'BOT.FAULTED', barTimeMs });
    internal(ctx, { type: 'fault', message: outcome.fault, actor: 'system', atMs: ctx.nowMs }, barTimeMs);
  } else if (outcome.halt !== null) {
    internal(ctx, { type: 'halt', code: outcome.halt.code, message: outcome.halt.message, actor: 'system', atMs: ctx.nowMs }, barTimeMs);
  } else if (outcome.stopCompleted && !hasPendingExit(ctx.state)) {
    internal(ctx, { type: 'stopCompleted', actor: 'system', atMs: ctx.nowMs }, barTimeMs);
  }
}

function onAccountUpdate(ctx: OperationContext, update: { fills: Parameters<typeof absorbAccountUpdate>[1]; orderUpdates: Parameters<typeof absorbAccountUpdate>[2]; view: Parameters<typeof absorbAccountUpdate>[3] }): void {
  const absorbed = absorbAccountUpdate(ctx.state.runner, update.fills, update.orderUpdates, update.view);
  ctx.state = { ...ctx.state, runner: absorbed.state };
  recordDrafts(ctx, absorbed.events);
  afterEffects(ctx, null);
}

/** Timer: ask the account for its view of this bot's book. */
function onReconcile(ctx: OperationContext): void {
  const s = ctx.state;
  if (!ATTACHED_STATUSES.includes(s.machine.status)) return;
  ctx.signals.push({ entity: 'account', key: accountKeyOf(s), op: 'reconcile', input: { botId: s.botId, seq: s.runner.seq, fillsSeen: s.runner.fillsSeen } });
}

/**
 * The account's answer. The account is the source of truth for orders and position: a bot whose view
 * differs adopts the account's when the difference is explained by a delivery still in flight (the
 * account re-sent it); otherwise it records the drift and halts.
 */
function onReconcileResult(ctx: OperationContext, result: { attached: boolean; view: Parameters<typeof absorbAccountUpdate>[3] | null; awaitingBarTimeMs: number | null }): void {
  const s = ctx.state;
  if (!ATTACHED_STATUSES.includes(s.machine.status)) return;
  const mine = s.runner.view;
  const theirs = result.view;
  const problems: string[] = [];
  if (!result.attached || theirs === null) problems.push('the account has no attached book for this bot');
  else {
    if (theirs.lastSeq !== s.runner.seq) problems.push(`the account saw orders up to #${theirs.lastSeq}, the bot sent up to #${s.runner.seq}`);
    if (mine && (mine.positionQty !== theirs.positionQty || mine.positionSide !== theirs.positionSide || theirs.fillCount !== s.runner.fillsSeen)) {
      const explained = result.awaitingBarTimeMs !== null;
      const what = `position ${mine.positionSide * mine.positionQty} vs account ${theirs.positionSide * theirs.positionQty}, fills ${s.runner.fillsSeen} vs ${theirs.fillCount}`;
      if (explained) {
        ctx.state = { ...s, runner: { ...s.runner, view: theirs } };
        ctx.event('reconcile', `repaired drift (${what}): a bar delivery was in flight and has been re-sent`, { repaired: true, botView: mine, accountView: theirs }, { code: 'BOT.RECONCILE_REPAIRED' });
      } else problems.push(what);
    }
  }
  if (problems.length === 0) return;
  const message = `reconciliation found an unexplained difference: ${problems.join('; ')}`;
  ctx.event('reconcile', message, { repaired: false, botView: mine, accountView: theirs }, { code: 'BOT.RECONCILE_MISMATCH' });
  if (ctx.state.machine.status === 'running' || ctx.state.machine.status === 'paused') {
    internal(ctx, { type: 'halt', code: 'BOT.RECONCILE_MISMATCH', message, actor: 'system', atMs: ctx.nowMs }, null);
    afterEffects(ctx, null);
  }
}

function recordDrafts(ctx: OperationContext, drafts: readonly BotEventDraft[]): void {
  for (const draft of drafts) {
    switch (draft.type) {
      case 'fill': {
        const f = draft.fill;
        ctx.event('fill', `${f.side} ${f.quantity} @ ${f.price}${f.clientOrderId ? ` for ${f.clientOrderId}` : ''} (${f.reason})`, { ...f }, { barTimeMs: f.timeMs });
        if (f.clientOrderId) {
          const order = ctx.order(f.clientOrderId);
          if (order) {
            const filled = order.filledQuantity + f.quantity;
            const average = ((order.averagePrice ?? 0) * order.filledQuantity + f.price * f.quantity) / filled;
            ctx.setOrder({ ...order, filledQuantity: filled, averagePrice: average, fees: order.fees + f.fee, updatedAtMs: ctx.nowMs });
          }
        }
        break;
      }
      case 'order-update': {
        const u = draft.update;
        ctx.event('order-update', `order ${u.clientOrderId} ${u.status}: ${u.reason}`, { ...u }, { barTimeMs: null });
        const order = ctx.state.openOrders[u.clientOrderId];
        if (order) ctx.setOrder({ ...order, status: u.status, statusReason: u.reason, updatedAtMs: ctx.nowMs });
        break;
      }
      case 'decision':
        ctx.event('decision', draft.reason, { intent: draft.intent, outcome: draft.outcome, note: draft.note }, { barTimeMs: draft.barTimeMs, code: draft.outcome === 'denied' ? draft.note : null });
        break;
      case 'risk-denial':
        ctx.event('risk-denial', draft.denial.message, { halts: draft.denial.halts, ...draft.denial.details }, { code: draft.denial.code, barTimeMs: draft.barTimeMs });
        break;
      case 'order':
        recordNewOrder(ctx, draft.order, draft.barTimeMs);
        break;
    }
  }
}

function describeIntent(intent: OrderIntent): string {
  if (intent.kind === 'cancel') return `cancel ${intent.tag ?? 'all'} (${intent.reason})`;
  const what = intent.kind === 'entry' ? `${intent.side} entry` : 'exit';
  return `${intent.type} ${what}${intent.price === undefined ? '' : ` @ ${intent.price}`} (${intent.reason})`;
}

function accountKeyOf(s: BotEntityState): string {
  return accountEntityKey(s.tenantId, s.machine.config.connectionId);
}

function finish(ctx: OperationContext): BotOperationResult {
  const s = ctx.state;
  const document: BotDocument | null = ctx.documentChanged ? toDocument(s, ctx.deleted) : null;
  return {
    state: ctx.deleted ? null : s,
    signals: ctx.signals,
    writes: { events: ctx.events, orders: [...ctx.orderWrites.values()], equity: ctx.equity, document },
    rejected: ctx.rejected,
  };
}

export function toDocument(s: BotEntityState, deleted = false): BotDocument {
  const m = s.machine;
  return {
    id: s.botId, tenantId: s.tenantId, name: m.config.name, connectionId: m.config.connectionId, status: m.status, configVersion: m.configVersion,
    runningConfigVersion: m.runningConfigVersion, config: m.config, reason: m.reason, createdAtMs: m.createdAtMs, updatedAtMs: m.updatedAtMs, deleted,
  };
}

/** A short summary for admin listings. */
export function summarizeBot(s: BotEntityState): { status: BotStatus; configVersion: number; lastBarTimeMs: number | null; equity: number | null; positionQty: number; seq: number } {
  return {
    status: s.machine.status,
    configVersion: s.machine.configVersion,
    lastBarTimeMs: s.runner.lastBarTimeMs,
    equity: s.runner.view?.equity ?? null,
    positionQty: (s.runner.view?.positionSide ?? 0) * (s.runner.view?.positionQty ?? 0),
    seq: s.runner.seq,
  };
}

export type { BotConfig };
