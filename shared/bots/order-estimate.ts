/**
 * What an intent will amount to, estimated at the last price before it is placed, for the risk
 * checks. Entries sized as a fraction of equity are sized by the exchange at the fill (as the
 * backtester does), so their quantity here is the same rule applied at the last close.
 */
import type { OrderProposal } from '../risk/risk-checks.js';
import { affordableQuantity, roundDownToLot } from '../trading/backtest/position-sizing.js';
import type { EntryIntent, ExitIntent, Sizing } from '../trading/strategies/strategy.js';
import type { BookView } from './execution-messages.js';

export function estimateEntry(intent: EntryIntent, view: BookView, defaultSizing: Sizing, lotStep: number, lastPrice: number): OrderProposal & { available: number } {
  const direction = intent.side === 'long' ? 1 : -1;
  const price = intent.price ?? lastPrice;
  const reversing = view.positionSide === -direction;
  const heldNotional = view.positionQty * lastPrice;
  // A reversal closes the position first, which frees its value.
  const available = reversing ? view.equity : view.equity - heldNotional;
  const sizing = intent.sizing ?? defaultSizing;
  // Rounded down to the lot as the broker rounds them; the market minimums then apply to the result.
  let quantity: number;
  if (sizing.mode === 'fraction') quantity = affordableQuantity(available * sizing.value, price, 0, 0, lotStep);
  else if (sizing.mode === 'quantity') quantity = roundDownToLot(sizing.value, lotStep);
  else quantity = roundDownToLot(sizing.value / price, lotStep);
  const notional = quantity * price;
  return {
    kind: 'entry',
    type: intent.type,
    price: intent.type === 'market' ? null : price,
    quantity,
    notional,
    resultingPositionNotional: reversing ? notional : heldNotional + notional,
    cost: notional,
    available,
  };
}

export function estimateExit(intent: ExitIntent, view: BookView, lotStep: number, lastPrice: number): OrderProposal {
  const price = intent.price ?? lastPrice;
  const quantity = intent.quantity === undefined ? view.positionQty : Math.min(roundDownToLot(intent.quantity, lotStep), view.positionQty);
  return {
    kind: 'exit',
    type: intent.type,
    price: intent.type === 'market' ? null : price,
    quantity,
    notional: quantity * price,
    resultingPositionNotional: Math.max(0, view.positionQty - quantity) * price,
    cost: 0,
  };
}
