/**
 * What a bot does with one webhook signal (entity operation `signal`, docs/webhooks.md): check its
 * state, plan the signal against its position (`planSignal`), run every intent through the same
 * pre-trade risk checks as a strategy's intents, and allocate client order ids `{botId}-{seq}` for
 * the ones that pass. Test alerts go through every step and place nothing.
 *
 * Pure: the clock is the signal's `atMs`. The entity records the events, sends the orders to the
 * account at once and applies a control command.
 */
import { checkOrder, type OrderProposal } from '../risk/risk-checks.js';
import type { OrderIntent } from '../trading/strategies/strategy.js';
import type { BotConfig } from './bot-config.js';
import type { BotStatus } from './bot-machine.js';
import type { BotEventDraft, BotRunnerState } from './bot-runner.js';
import { allocateOrder } from './bot-runner.js';
import type { PaperOrderRequest } from './execution-messages.js';
import { estimateEntry, estimateExit } from './order-estimate.js';
import type { BotSignalInput } from './signal-order.js';
import { planSignal } from './signal-plan.js';

export const SIGNAL_DECISION_CODES = {
  notAccepting: 'SIGNAL.BOT_NOT_ACCEPTING',
  noPrice: 'SIGNAL.NO_PRICE',
  nothingToDo: 'SIGNAL.NOTHING_TO_DO',
  allDenied: 'SIGNAL.DENIED',
} as const;

export interface SignalDecisionInput {
  readonly botId: string;
  readonly status: BotStatus;
  readonly config: BotConfig;
  readonly runner: BotRunnerState;
  /** Working orders the bot knows of (not yet filled, cancelled or rejected). */
  readonly openOrders: number;
  readonly signal: BotSignalInput;
}

export interface SignalDecision {
  /** Sequence and recent order times advanced for the orders placed. */
  readonly runner: BotRunnerState;
  /** Decisions, risk denials and orders, as a strategy's would be recorded. */
  readonly events: readonly BotEventDraft[];
  /** To the account's `orders` operation at once. */
  readonly orders: readonly PaperOrderRequest[];
  /** `pause` / `resume` to apply as a command (never for test alerts). */
  readonly control: 'pause' | 'resume' | null;
  /** Why nothing was placed (also for test alerts: what would have happened); null when orders were placed. */
  readonly outcome: { readonly code: string; readonly message: string } | null;
}

const TAKES_SIGNALS: readonly BotStatus[] = ['running', 'paused'];

export function decideSignal(input: SignalDecisionInput): SignalDecision {
  const { botId, status, config, signal } = input;
  let runner = input.runner;
  const nothing = (code: string, message: string): SignalDecision => ({ runner, events: [], orders: [], control: null, outcome: { code, message } });

  if (!TAKES_SIGNALS.includes(status)) {
    return nothing(SIGNAL_DECISION_CODES.notAccepting, `the bot is ${status}: signal ${signal.signalId} (${signal.order.action}) was not acted on`);
  }
  const view = runner.view;
  const lastPrice = view?.lastPrice ?? null;
  const plan = planSignal(
    signal.order,
    { positionSide: view?.positionSide ?? 0, positionQty: view?.positionQty ?? 0, lastPrice, openOrders: input.openOrders, shortAllowed: config.marketRules.shortAllowed },
    { reverseOnOpposite: config.strategy.params.reverseOnOpposite === true, signalId: signal.signalId },
  );
  if (plan.kind === 'control') {
    if (signal.test) return nothing(SIGNAL_DECISION_CODES.nothingToDo, `test signal: would ${plan.command} the bot`);
    return { runner, events: [], orders: [], control: plan.command, outcome: null };
  }
  if (plan.kind === 'nothing') return nothing(SIGNAL_DECISION_CODES.nothingToDo, plan.reason);
  if (plan.kind === 'rejected') return nothing(plan.code, plan.reason);

  const barTimeMs = runner.lastBarTimeMs ?? signal.atMs;
  const events: BotEventDraft[] = [];
  const orders: PaperOrderRequest[] = [];
  let recent = runner.recentOrderTimesMs.filter((t) => t > signal.atMs - 60_000);
  let openOrders = input.openOrders;
  let lastProblem: { code: string; message: string } | null = null;
  const decided = (intent: OrderIntent, outcome: 'placed' | 'denied' | 'skipped', note: string | null): void => {
    events.push({ type: 'decision', barTimeMs, intent, reason: intent.reason, outcome, note });
  };

  for (const original of plan.intents) {
    let intent = original;
    if (status === 'paused' && intent.kind === 'entry') {
      const reverses = (view?.positionSide ?? 0) === (intent.side === 'long' ? -1 : 1);
      if (!reverses) {
        decided(intent, 'skipped', 'paused: no new entries');
        lastProblem = { code: SIGNAL_DECISION_CODES.notAccepting, message: 'the bot is paused: no new entries' };
        continue;
      }
      intent = { kind: 'exit', type: 'market', reason: `${intent.reason} (paused: exit only)` };
    }
    if (intent.kind !== 'cancel') {
      if (view === null || lastPrice === null) {
        decided(intent, 'skipped', 'no price yet');
        lastProblem = { code: SIGNAL_DECISION_CODES.noPrice, message: 'the bot has seen no price yet: signals trade once its first bar arrived' };
        continue;
      }
      let available = view.equity;
      let proposal: OrderProposal;
      if (intent.kind === 'entry') {
        const entry = estimateEntry(intent, view, config.sizing, config.marketRules.lotStep, lastPrice);
        available = entry.available;
        proposal = entry;
      } else proposal = estimateExit(intent, view, config.marketRules.lotStep, lastPrice);
      const denial = checkOrder(config.risk, config.marketRules, { available, openOrders, lastPrice, nowMs: signal.atMs, recentOrderTimesMs: recent }, proposal);
      if (denial) {
        decided(intent, 'denied', denial.code);
        events.push({ type: 'risk-denial', barTimeMs, clientOrderId: null, denial });
        lastProblem = { code: denial.code, message: denial.message };
        continue;
      }
    }
    if (signal.test) {
      decided(intent, 'skipped', 'test signal: dry run (passed the risk checks)');
      continue;
    }
    if (intent.kind !== 'cancel') {
      if (intent.type !== 'market') openOrders++;
      recent = [...recent, signal.atMs];
    }
    const placed = allocateOrder(botId, runner, intent);
    runner = placed.state;
    orders.push(placed.order);
    decided(intent, 'placed', placed.order.clientOrderId);
    events.push({ type: 'order', order: placed.order, barTimeMs: null });
  }
  runner = { ...runner, recentOrderTimesMs: recent };
  const outcome =
    orders.length > 0 ? null
    : signal.test && lastProblem === null ? { code: SIGNAL_DECISION_CODES.nothingToDo, message: 'test signal: dry run, nothing placed' }
    : (lastProblem ?? { code: SIGNAL_DECISION_CODES.allDenied, message: 'no order passed' });
  return { runner, events, orders, control: null, outcome };
}
