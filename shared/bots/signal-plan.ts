/**
 * What a signal means for a bot, given its position: order intents (the same intents a strategy
 * emits, so risk checks and the paper exchange treat them alike), a control command, nothing (an
 * exit without a position), or a rejection with a reason the user can act on. Pure.
 *
 * buy / sell are relative to the position: `buy` covers a short (or reverses it with
 * `reverseOnOpposite`) and otherwise opens or adds to a long; `sell` mirrors it. When the alert says
 * where the position ends (`marketPosition`, TradingView's `{{strategy.market_position}}`), that
 * decides: sell → flat closes, sell → short opens a short (reversing a long). TradingView sizes a
 * reversal as old + new contracts, so with `marketPosition` the new position gets the quantity minus
 * what the reversal closes.
 */
import type { CancelIntent, EntryIntent, ExitIntent, OrderIntent, Side, Sizing } from '../trading/strategies/strategy.js';
import type { SignalOrder } from './signal-order.js';

export const SIGNAL_PLAN_CODES = {
  shortNotAllowed: 'SIGNAL.SHORT_NOT_ALLOWED',
  invalidProtection: 'SIGNAL.INVALID_PROTECTION',
  noPrice: 'SIGNAL.NO_PRICE',
} as const;

export interface SignalPositionView {
  readonly positionSide: 1 | -1 | 0;
  readonly positionQty: number;
  /** Last traded price the bot knows (last bar's close or tick); null before any. */
  readonly lastPrice: number | null;
  /** Working (unfilled) orders. */
  readonly openOrders: number;
  readonly shortAllowed: boolean;
}

export interface SignalPlanOptions {
  /** A buy while short (a sell while long) reverses instead of closing. Param of the `signal` strategy. */
  readonly reverseOnOpposite: boolean;
  /** Names the signal in every intent's reason (the bot's event log). */
  readonly signalId: string;
}

export type SignalPlan =
  | { readonly kind: 'intents'; readonly intents: readonly OrderIntent[] }
  | { readonly kind: 'control'; readonly command: 'pause' | 'resume' }
  | { readonly kind: 'nothing'; readonly reason: string }
  | { readonly kind: 'rejected'; readonly code: string; readonly reason: string };

type Direction = 1 | -1;

export function planSignal(order: SignalOrder, view: SignalPositionView, options: SignalPlanOptions): SignalPlan {
  const reason = describeSignal(order, options.signalId);
  switch (order.action) {
    case 'pause':
    case 'resume':
      return { kind: 'control', command: order.action };
    case 'close':
    case 'flat':
      return closeAll(view, reason);
    case 'long':
      return enter(1, order, view, reason, null);
    case 'short':
      return enter(-1, order, view, reason, null);
    case 'exit_long':
      return view.positionSide === 1 ? exit(order, view, reason, order.size) : nothing('the bot holds no long position to exit');
    case 'exit_short':
      return view.positionSide === -1 ? exit(order, view, reason, order.size) : nothing('the bot holds no short position to exit');
    case 'buy':
      return directional(1, order, view, options, reason);
    case 'sell':
      return directional(-1, order, view, options, reason);
  }
}

function directional(direction: Direction, order: SignalOrder, view: SignalPositionView, options: SignalPlanOptions, reason: string): SignalPlan {
  const side = sideOf(direction);
  const opposite = sideOf(-direction as Direction);
  const holdsOpposite = view.positionSide === -direction;
  const target = order.marketPosition;
  if (target === side) return enter(direction, order, view, reason, holdsOpposite ? view.positionQty : null);
  if (target === 'flat') {
    return holdsOpposite ? exit(order, view, reason, null) : nothing(`the alert closes a ${opposite} position but the bot holds ${holding(view)}`);
  }
  if (target === opposite) {
    return holdsOpposite ? exit(order, view, reason, order.size) : nothing(`the alert reduces a ${opposite} position but the bot holds ${holding(view)}`);
  }
  if (holdsOpposite) return options.reverseOnOpposite ? enter(direction, order, view, reason, null) : exit(order, view, reason, order.size);
  if (direction === -1 && !view.shortAllowed && view.positionSide === 0) {
    return rejected(SIGNAL_PLAN_CODES.shortNotAllowed, 'nothing to sell: the bot holds no long position and this market does not allow short positions');
  }
  return enter(direction, order, view, reason, null);
}

/**
 * @param closesQty with TradingView sizing, the part of the quantity that closes the opposite
 * position (a reversal's contracts are old + new); null otherwise.
 */
function enter(direction: Direction, order: SignalOrder, view: SignalPositionView, reason: string, closesQty: number | null): SignalPlan {
  const side = sideOf(direction);
  if (direction === -1 && !view.shortAllowed) {
    return rejected(SIGNAL_PLAN_CODES.shortNotAllowed, 'this market does not allow short positions');
  }
  if (order.orderType === 'limit' && order.price === null) return rejected(SIGNAL_PLAN_CODES.noPrice, 'a limit order needs a price');
  const reference = order.orderType === 'limit' ? order.price : view.lastPrice;
  const protection = checkProtection(direction, order, reference);
  if (protection) return protection;

  let sizing: Sizing | undefined = order.size ?? undefined;
  if (sizing?.mode === 'quantity' && closesQty !== null) {
    const opening = sizing.value - closesQty;
    if (!(opening > 0)) return exit(order, view, reason, null);
    sizing = { mode: 'quantity', value: opening };
  }
  const intent: EntryIntent = {
    kind: 'entry',
    side,
    type: order.orderType,
    ...(order.orderType === 'limit' && order.price !== null ? { price: order.price } : {}),
    ...(sizing ? { sizing } : {}),
    ...(order.stopLoss !== null ? { stopLoss: order.stopLoss } : {}),
    ...(order.takeProfit !== null ? { takeProfit: order.takeProfit } : {}),
    reason,
  };
  return { kind: 'intents', intents: [intent] };
}

function exit(order: SignalOrder, view: SignalPositionView, reason: string, size: Sizing | null): SignalPlan {
  if (view.positionSide === 0) return nothing('the bot holds no position to exit');
  if (order.orderType === 'limit' && order.price === null) return rejected(SIGNAL_PLAN_CODES.noPrice, 'a limit order needs a price');
  let quantity: number | undefined;
  if (size?.mode === 'quantity') quantity = size.value;
  else if (size?.mode === 'fraction') quantity = view.positionQty * size.value;
  else if (size?.mode === 'notional') {
    const price = order.orderType === 'limit' ? order.price : view.lastPrice;
    if (price === null) return rejected(SIGNAL_PLAN_CODES.noPrice, 'an exit sized by notional needs a price, and the bot has seen none yet');
    quantity = size.value / price;
  }
  // Asking for the whole position (or more) closes it; that avoids a lot-rounding leftover.
  const whole = quantity === undefined || quantity >= view.positionQty;
  const intent: ExitIntent = {
    kind: 'exit',
    type: order.orderType,
    ...(order.orderType === 'limit' && order.price !== null ? { price: order.price } : {}),
    ...(whole ? {} : { quantity }),
    reason,
  };
  return { kind: 'intents', intents: [intent] };
}

function closeAll(view: SignalPositionView, reason: string): SignalPlan {
  const intents: OrderIntent[] = [];
  if (view.openOrders > 0) intents.push({ kind: 'cancel', reason } satisfies CancelIntent);
  if (view.positionSide !== 0) intents.push({ kind: 'exit', type: 'market', reason } satisfies ExitIntent);
  return intents.length > 0 ? { kind: 'intents', intents } : nothing('the bot is already flat with no working orders');
}

/** Stop below and target above the entry for longs (mirrored for shorts); checked against the reference price when known. */
function checkProtection(direction: Direction, order: SignalOrder, reference: number | null): SignalPlan | undefined {
  const { stopLoss, takeProfit } = order;
  const below = (a: number | null, b: number | null): boolean => a === null || b === null || a < b;
  const ok =
    direction === 1
      ? below(stopLoss, takeProfit) && below(stopLoss, reference) && below(reference, takeProfit)
      : below(takeProfit, stopLoss) && below(takeProfit, reference) && below(reference, stopLoss);
  if (ok) return undefined;
  const side = sideOf(direction);
  const rule = direction === 1 ? 'stop_loss below and take_profit above the price' : 'stop_loss above and take_profit below the price';
  const figures = [`stop_loss ${stopLoss ?? '-'}`, `take_profit ${takeProfit ?? '-'}`, `price ${reference ?? '-'}`].join(', ');
  return rejected(SIGNAL_PLAN_CODES.invalidProtection, `a ${side} entry needs ${rule} (${figures})`);
}

export function describeSignal(order: SignalOrder, signalId: string): string {
  const parts = [`webhook signal ${signalId}: ${order.action}`];
  if (order.size) parts.push(order.size.mode === 'quantity' ? `${order.size.value}` : order.size.mode === 'fraction' ? `${round(order.size.value * 100)}%` : `${order.size.value} notional`);
  parts.push(order.orderType === 'limit' ? `limit ${order.price ?? '?'}` : 'at market');
  if (order.stopLoss !== null) parts.push(`SL ${order.stopLoss}`);
  if (order.takeProfit !== null) parts.push(`TP ${order.takeProfit}`);
  if (order.marketPosition !== null) parts.push(`→ ${order.marketPosition}`);
  const text = parts.join(' ');
  return order.comment ? `${text} (${order.comment})` : text;
}

const sideOf = (direction: Direction): Side => (direction === 1 ? 'long' : 'short');
const holding = (view: SignalPositionView): string => (view.positionSide === 0 ? 'no position' : `a ${view.positionSide === 1 ? 'long' : 'short'} position`);
const nothing = (reason: string): SignalPlan => ({ kind: 'nothing', reason });
const rejected = (code: string, reason: string): SignalPlan => ({ kind: 'rejected', code, reason });
const round = (n: number): number => Math.round(n * 1e6) / 1e6;
