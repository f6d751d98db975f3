/**
 * What a bot does with one closed bar: the same strategy step as the backtester, then the risk checks,
 * then order requests with deterministic client order ids `{botId}-{seq}`.
 *
 * The bar arrives from the account with the fills it made and the book's view at the close, so the
 * strategy's context is exactly the backtest engine's at that bar. A bar not newer than the last one
 * is ignored, but answered again with the orders first sent for it (re-delivery is harmless: the
 * account drops sequence numbers it has seen).
 *
 * Pure: the clock is the delivery's `receivedAtMs`; no I/O.
 */
import type { OrderProposal, RiskDenial } from '../risk/risk-checks.js';
import { checkEquity, checkOrder } from '../risk/risk-checks.js';
import { getStrategy } from '../trading/strategies/registry.js';
import type { OrderIntent, StepResult, StrategyContext } from '../trading/strategies/strategy.js';
import type { BotConfig } from './bot-config.js';
import type { BotStatus } from './bot-machine.js';
import type { BarDelivery, BookView, PaperFill, OrderUpdate, PaperOrderRequest } from './execution-messages.js';
import { estimateEntry, estimateExit } from './order-estimate.js';

const DAY_MS = 86_400_000;

export interface BotRunnerState {
  /** The strategy's JSON state; null until the first bar after a (re)start with new params. */
  readonly strategyState: unknown;
  /** Last order sequence number used. */
  readonly seq: number;
  readonly lastBarTimeMs: number | null;
  readonly barsProcessed: number;
  readonly equityPeak: number | null;
  readonly day: { readonly index: number; readonly startEquity: number } | null;
  readonly lastEquity: number | null;
  readonly recentOrderTimesMs: readonly number[];
  /** The account's view at the last delivery. */
  readonly view: BookView | null;
  readonly fillsSeen: number;
  /** The answer to the last bar, repeated if that bar is delivered again. */
  readonly lastAck: { readonly barTimeMs: number; readonly orders: readonly PaperOrderRequest[] } | null;
}

export const NEW_RUNNER_STATE: BotRunnerState = {
  strategyState: null, seq: 0, lastBarTimeMs: null, barsProcessed: 0, equityPeak: null, day: null, lastEquity: null,
  recentOrderTimesMs: [], view: null, fillsSeen: 0, lastAck: null,
};

/** Event drafts; the entity gives them ids and times and appends them. */
export type BotEventDraft =
  | { readonly type: 'fill'; readonly fill: PaperFill }
  | { readonly type: 'order-update'; readonly update: OrderUpdate }
  | { readonly type: 'decision'; readonly barTimeMs: number; readonly intent: OrderIntent; readonly reason: string; readonly outcome: 'placed' | 'denied' | 'skipped'; readonly note: string | null }
  | { readonly type: 'risk-denial'; readonly barTimeMs: number | null; readonly clientOrderId: null; readonly denial: RiskDenial }
  | { readonly type: 'order'; readonly order: PaperOrderRequest; readonly barTimeMs: number | null };

export interface EquityPoint {
  readonly barTimeMs: number;
  readonly equity: number;
  readonly balance: number;
  readonly positionSide: 1 | -1 | 0;
  readonly positionQty: number;
  readonly close: number;
}

export interface BarOutcome {
  readonly state: BotRunnerState;
  /** Not newer than the last bar: nothing happened except answering again. */
  readonly ignored: boolean;
  readonly ack: { readonly barTimeMs: number; readonly orders: readonly PaperOrderRequest[] };
  readonly events: readonly BotEventDraft[];
  readonly equity: EquityPoint | null;
  /** A limit that halts the bot tripped. */
  readonly halt: RiskDenial | null;
  /** The strategy threw: the bot faults. */
  readonly fault: string | null;
  /** Stopping and now flat with nothing working. */
  readonly stopCompleted: boolean;
}

/** Statuses in which the strategy keeps stepping (so its indicators stay current). */
const STEPPING: readonly BotStatus[] = ['running', 'paused', 'halted'];

export interface RunBarInput {
  readonly botId: string;
  readonly status: BotStatus;
  readonly config: BotConfig;
  readonly state: BotRunnerState;
  readonly delivery: BarDelivery;
}

export function runBar(input: RunBarInput): BarOutcome {
  const { botId, status, config, delivery } = input;
  const bar = delivery.bar;
  let state = input.state;
  if (state.lastBarTimeMs !== null && bar.timeMs <= state.lastBarTimeMs) {
    const ack = state.lastAck?.barTimeMs === bar.timeMs ? state.lastAck : { barTimeMs: bar.timeMs, orders: [] };
    return { state, ignored: true, ack, events: [], equity: null, halt: null, fault: null, stopCompleted: false };
  }
  const events: BotEventDraft[] = [];
  const absorbed = absorbUpdates(state, delivery.fills, delivery.orderUpdates, delivery.view, events);
  state = absorbed;
  const view = delivery.view;
  const equity = view.equity;
  const dayIndex = Math.floor(bar.timeMs / DAY_MS);
  const day = state.day === null || state.day.index !== dayIndex ? { index: dayIndex, startEquity: state.lastEquity ?? equity } : state.day;
  const equityPeak = Math.max(state.equityPeak ?? equity, equity);
  state = { ...state, day, equityPeak, lastEquity: equity, lastBarTimeMs: bar.timeMs, barsProcessed: state.barsProcessed + 1 };

  let intents: readonly OrderIntent[] = [];
  let fault: string | null = null;
  if (STEPPING.includes(status)) {
    const stepped = stepStrategy(config, state.strategyState, delivery);
    if (stepped.ok) {
      state = { ...state, strategyState: stepped.strategyState };
      intents = stepped.intents;
    } else fault = stepped.message;
  }

  let halt: RiskDenial | null = null;
  const orders: PaperOrderRequest[] = [];
  if (fault === null && (status === 'running' || status === 'paused')) {
    halt = checkEquity(config.risk, { equity, equityPeak, dayStartEquity: day.startEquity }) ?? null;
    if (halt) {
      events.push({ type: 'risk-denial', barTimeMs: bar.timeMs, clientOrderId: null, denial: halt });
      for (const intent of intents) events.push({ type: 'decision', barTimeMs: bar.timeMs, intent, reason: intent.reason, outcome: 'skipped', note: `halted by ${halt.code}` });
    } else {
      state = decide({ botId, status, config, state, view, barTimeMs: bar.timeMs, lastPrice: bar.close, nowMs: delivery.receivedAtMs, intents, orders, events });
    }
  } else if (status === 'halted') {
    for (const intent of intents) events.push({ type: 'decision', barTimeMs: bar.timeMs, intent, reason: intent.reason, outcome: 'skipped', note: 'the bot is halted' });
  }
  const ack = { barTimeMs: bar.timeMs, orders };
  state = { ...state, lastAck: ack };
  const stopCompleted = status === 'stopping' && view.positionSide === 0 && view.openOrders.length === 0;
  return {
    state, ignored: false, ack, events, halt, fault, stopCompleted,
    equity: { barTimeMs: bar.timeMs, equity, balance: view.balance, positionSide: view.positionSide, positionQty: view.positionQty, close: bar.close },
  };
}

/** Records fills and order updates that arrived outside a bar (acceptance, kill switch). */
export function absorbAccountUpdate(state: BotRunnerState, fills: readonly PaperFill[], updates: readonly OrderUpdate[], view: BookView): { state: BotRunnerState; events: BotEventDraft[] } {
  const events: BotEventDraft[] = [];
  return { state: absorbUpdates(state, fills, updates, view, events), events };
}

function absorbUpdates(state: BotRunnerState, fills: readonly PaperFill[], updates: readonly OrderUpdate[], view: BookView, events: BotEventDraft[]): BotRunnerState {
  for (const update of updates) events.push({ type: 'order-update', update });
  for (const fill of fills) events.push({ type: 'fill', fill });
  return { ...state, view, fillsSeen: Math.max(state.fillsSeen, view.fillCount) };
}

type StepOutcome = { ok: true; strategyState: unknown; intents: readonly OrderIntent[] } | { ok: false; message: string };

function stepStrategy(config: BotConfig, strategyState: unknown, delivery: BarDelivery): StepOutcome {
  const found = getStrategy(config.strategy.id);
  if (!found.ok) return { ok: false, message: found.error.message };
  const strategy = found.value;
  const view = delivery.view;
  const ctx: StrategyContext = {
    positionSide: view.positionSide,
    positionQty: view.positionQty,
    positionEntryPrice: view.positionEntryPrice ?? NaN,
    equity: view.equity,
    cash: view.cash,
    workingOrderTags: view.workingOrderTags,
    shortAllowed: config.marketRules.shortAllowed,
  };
  try {
    // The strategy updates its state in place: hand it a copy so a throw leaves ours intact.
    const current: unknown = strategyState === null ? strategy.initialState(config.strategy.params) : structuredClone(strategyState);
    const result: StepResult<unknown> = strategy.step(current, { ...delivery.bar }, ctx, config.strategy.params);
    return { ok: true, strategyState: result.state, intents: result.intents };
  } catch (e) {
    return { ok: false, message: `strategy ${strategy.id} failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

interface DecideInput {
  readonly botId: string;
  readonly status: BotStatus;
  readonly config: BotConfig;
  readonly state: BotRunnerState;
  readonly view: BookView;
  readonly barTimeMs: number;
  readonly lastPrice: number;
  readonly nowMs: number;
  readonly intents: readonly OrderIntent[];
  readonly orders: PaperOrderRequest[];
  readonly events: BotEventDraft[];
}

/** Intents → risk checks → order requests. A paused bot manages exits only (a reversal becomes an exit). */
function decide(input: DecideInput): BotRunnerState {
  const { config, view, barTimeMs, lastPrice, nowMs, orders, events } = input;
  let state = input.state;
  let recent = state.recentOrderTimesMs.filter((t) => t > nowMs - 60_000);
  let openOrders = view.openOrders.filter((o) => o.type !== 'market').length;
  for (const original of input.intents) {
    let intent = original;
    if (input.status === 'paused' && intent.kind === 'entry') {
      const reverses = view.positionSide === (intent.side === 'long' ? -1 : 1);
      if (!reverses) {
        events.push({ type: 'decision', barTimeMs, intent, reason: intent.reason, outcome: 'skipped', note: 'paused: no new entries' });
        continue;
      }
      intent = { kind: 'exit', type: 'market', reason: `${intent.reason} (paused: exit only)` };
    }
    if (intent.kind === 'exit' && view.positionSide === 0) {
      // The backtester drops an exit without a position too; nothing to send.
      events.push({ type: 'decision', barTimeMs, intent, reason: intent.reason, outcome: 'skipped', note: 'no position to exit' });
      continue;
    }
    if (intent.kind !== 'cancel') {
      let proposal: OrderProposal;
      let available = view.equity;
      if (intent.kind === 'entry') {
        const entry = estimateEntry(intent, view, config.sizing, config.marketRules.lotStep, lastPrice);
        proposal = entry;
        available = entry.available;
      } else proposal = estimateExit(intent, view, config.marketRules.lotStep, lastPrice);
      const denial = checkOrder(config.risk, config.marketRules, { available, openOrders, lastPrice, nowMs, recentOrderTimesMs: recent }, proposal);
      if (denial) {
        events.push({ type: 'decision', barTimeMs, intent, reason: intent.reason, outcome: 'denied', note: denial.code });
        events.push({ type: 'risk-denial', barTimeMs, clientOrderId: null, denial });
        continue;
      }
      if (intent.type !== 'market') openOrders++;
      recent = [...recent, nowMs];
    }
    const placed = allocateOrder(input.botId, state, intent);
    state = placed.state;
    orders.push(placed.order);
    events.push({ type: 'decision', barTimeMs, intent, reason: intent.reason, outcome: 'placed', note: placed.order.clientOrderId });
    events.push({ type: 'order', order: placed.order, barTimeMs });
  }
  return { ...state, recentOrderTimesMs: recent };
}

/** The next client order id `{botId}-{seq}`; the sequence lives in the bot's state, so a re-run repeats it. */
export function allocateOrder(botId: string, state: BotRunnerState, intent: OrderIntent): { state: BotRunnerState; order: PaperOrderRequest } {
  const seq = state.seq + 1;
  return { state: { ...state, seq }, order: { clientOrderId: `${botId}-${seq}`, seq, intent } };
}
