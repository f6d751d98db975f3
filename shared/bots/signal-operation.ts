/**
 * The bot entity's `signal` operation (docs/webhooks.md): same contract as `handleBotOperation`
 * ((state, input, now) → state, signals to send, records to write), so the entity dispatches to it
 * and treats the result alike.
 *
 * A seen `signalId` does nothing (it joins the command ids the bot remembers). The decision is
 * `decideSignal`; its events are recorded with the bot's event counter, new orders as `sent` order
 * records, and the orders go to the account's `orders` operation at once (the paper exchange fills
 * market orders with the next bar or tick). Why nothing was placed is a `decision` event naming the
 * signal. Pure.
 */
import { appError, err, ok, type Result } from '../core/result.js';
import type { BotEntityState, BotOperationResult, OutSignal } from './bot-operations.js';
import type { BotEvent, BotEventType, BotOrderRecord } from './bot-records.js';
import type { BotEventDraft } from './bot-runner.js';
import { accountEntityKey } from './entity-keys.js';
import { decideSignal } from './signal-decision.js';
import { botSignalInputSchema } from './signal-order.js';

export const SIGNAL_OPERATION = 'signal' as const;
/** As many command ids as the bot's own commands keep. */
const RECENT_IDS = 64;

export function handleSignalOperation(current: BotEntityState | undefined, rawInput: unknown, nowMs: number): Result<BotOperationResult> {
  const parsed = botSignalInputSchema.safeParse(rawInput);
  if (!parsed.success) {
    return err(appError('BOT.INVALID_INPUT', `bot.signal: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`));
  }
  const signal = parsed.data;
  const none: BotOperationResult = { state: current ?? null, signals: [], writes: { events: [], orders: [], equity: [], document: null }, rejected: null };
  // A bot that does not exist has nothing to run; a re-delivered signal is ignored.
  if (!current || current.recentCommandIds.includes(signal.signalId)) return ok(none);

  const decision = decideSignal({
    botId: current.botId,
    status: current.machine.status,
    config: current.machine.config,
    runner: current.runner,
    openOrders: Object.keys(current.openOrders).length,
    signal,
  });
  let state: BotEntityState = {
    ...current,
    runner: decision.runner,
    recentCommandIds: [...current.recentCommandIds, signal.signalId].slice(-RECENT_IDS),
  };
  const events: BotEvent[] = [];
  const orders: BotOrderRecord[] = [];
  const event = (type: BotEventType, message: string, data: Record<string, unknown>, code: string | null, barTimeMs: number | null): void => {
    const seq = state.eventSeq + 1;
    state = { ...state, eventSeq: seq };
    events.push({ id: `${state.botId}-e${seq}`, tenantId: state.tenantId, botId: state.botId, seq, type, atMs: nowMs, barTimeMs, message, code, data: { ...data, signalId: signal.signalId } });
  };

  for (const draft of decision.events) recordDraft(draft, event, (record) => {
    orders.push(record);
    state = { ...state, openOrders: { ...state.openOrders, [record.id]: record } };
  }, state, nowMs);
  if (decision.outcome) {
    event('decision', `${decision.outcome.message} (webhook signal ${signal.signalId}: ${signal.order.action})`, { outcome: 'skipped', action: signal.order.action, test: signal.test }, decision.outcome.code, null);
  }
  if (decision.control) {
    // The intake sends pause/resume to the bot's own commands; a control plan here is only recorded.
    event('decision', `webhook signal ${signal.signalId}: ${decision.control} is a command, sent as one by the intake`, { outcome: 'skipped' }, null, null);
  }
  const signals: OutSignal[] = decision.orders.length > 0
    ? [{ entity: 'account', key: accountEntityKey(state.tenantId, state.machine.config.connectionId), op: 'orders', input: { botId: state.botId, orders: decision.orders } }]
    : [];
  return ok({ state, signals, writes: { events, orders, equity: [], document: null }, rejected: null });
}

function recordDraft(
  draft: BotEventDraft,
  event: (type: BotEventType, message: string, data: Record<string, unknown>, code: string | null, barTimeMs: number | null) => void,
  order: (record: BotOrderRecord) => void,
  state: BotEntityState,
  nowMs: number,
): void {
  switch (draft.type) {
    case 'decision':
      event('decision', draft.reason, { intent: draft.intent, outcome: draft.outcome, note: draft.note }, draft.outcome === 'denied' ? draft.note : null, draft.barTimeMs);
      break;
    case 'risk-denial':
      event('risk-denial', draft.denial.message, { halts: draft.denial.halts, ...draft.denial.details }, draft.denial.code, draft.barTimeMs);
      break;
    case 'order': {
      const o = draft.order;
      const what = o.intent.kind === 'cancel' ? `cancel ${o.intent.tag ?? 'all'}` : `${o.intent.type} ${o.intent.kind === 'entry' ? `${o.intent.side} entry` : 'exit'}${o.intent.price === undefined ? '' : ` @ ${o.intent.price}`}`;
      event('order', `order ${o.clientOrderId}: ${what} (${o.intent.reason})`, { clientOrderId: o.clientOrderId, intent: o.intent }, null, draft.barTimeMs);
      order({
        id: o.clientOrderId, tenantId: state.tenantId, botId: state.botId, seq: o.seq, intent: o.intent, status: 'sent', statusReason: 'sent to the account',
        barTimeMs: draft.barTimeMs, filledQuantity: 0, averagePrice: null, fees: 0, createdAtMs: nowMs, updatedAtMs: nowMs,
      });
      break;
    }
    default:
      // decideSignal makes no fills or order updates.
      break;
  }
}
