/**
 * Pre-trade risk checks and the account checks that halt a bot. Pure: the clock (`nowMs`) and every
 * figure come in as arguments. Each check answers `undefined` (pass) or a denial with its own code, a
 * human message and the figures behind it, which the bot records as an event.
 */
import type { MarketRules, RiskCode, RiskLimits } from './risk-limits.js';
import { HALTING_RISK_CODES, RISK_CODES } from './risk-limits.js';

export interface RiskDenial {
  readonly code: RiskCode;
  readonly message: string;
  /** True for limits that halt the bot (daily loss, drawdown). */
  readonly halts: boolean;
  readonly details: { readonly limit: number; readonly actual: number };
}

/** An order as the risk checks see it, estimated at the last price before it is placed. */
export interface OrderProposal {
  /** Entries open or add exposure; exits only reduce it. */
  readonly kind: 'entry' | 'exit';
  readonly type: 'market' | 'limit' | 'stop';
  /** Limit or stop price; null for market orders. */
  readonly price: number | null;
  /**
   * Estimated units, already rounded down to the lot step as the exchange adapter and the backtester
   * round a strategy's quantities (a fraction-sized entry is sized at the fill, so this is an estimate).
   */
  readonly quantity: number;
  /** Estimated units × price. */
  readonly notional: number;
  /** Estimated position notional after the fill (absolute). */
  readonly resultingPositionNotional: number;
  /** Cash the order needs (notional plus fees) for entries; 0 for exits. */
  readonly cost: number;
}

export interface RiskAccountView {
  /** Cash available for new exposure (equity not tied up in the position, after a reversal's close). */
  readonly available: number;
  readonly openOrders: number;
  readonly lastPrice: number;
  readonly nowMs: number;
  /** Times of the orders placed in the last minute (any order). */
  readonly recentOrderTimesMs: readonly number[];
}

const money = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

function deny(code: RiskCode, message: string, limit: number, actual: number): RiskDenial {
  return { code, message, halts: HALTING_RISK_CODES.includes(code), details: { limit, actual } };
}

/** Relative tolerance for "is a multiple of the step" with binary floating point steps (0.1, 0.01). */
function isMultiple(value: number, step: number): boolean {
  const ratio = value / step;
  return Math.abs(ratio - Math.round(ratio)) <= 1e-9 * Math.max(1, Math.abs(ratio));
}

export function checkMarketMinimums(rules: MarketRules, order: OrderProposal): RiskDenial | undefined {
  if (order.price !== null && rules.tickSize !== null && !isMultiple(order.price, rules.tickSize)) {
    return deny(RISK_CODES.marketMinimums, `Price ${order.price} is not a multiple of the tick size ${rules.tickSize}.`, rules.tickSize, order.price);
  }
  if (order.quantity < Math.max(rules.minQuantity, rules.lotStep) - 1e-12 * rules.lotStep) {
    const min = Math.max(rules.minQuantity, rules.lotStep);
    return deny(RISK_CODES.marketMinimums, `Quantity ${order.quantity} is below the market minimum ${min}.`, min, order.quantity);
  }
  if (order.notional < rules.minNotional) {
    return deny(RISK_CODES.marketMinimums, `Order value ${money(order.notional)} is below the market minimum ${money(rules.minNotional)}.`, rules.minNotional, order.notional);
  }
  return undefined;
}

export function checkPriceBand(limits: RiskLimits, order: OrderProposal, lastPrice: number): RiskDenial | undefined {
  if (limits.priceBandPct === null || order.price === null) return undefined;
  const offPct = (Math.abs(order.price - lastPrice) / lastPrice) * 100;
  if (offPct <= limits.priceBandPct) return undefined;
  return deny(
    RISK_CODES.priceBand,
    `${order.type} price ${order.price} is ${offPct.toFixed(2)}% away from the last price ${lastPrice}; the band is ±${limits.priceBandPct}%.`,
    limits.priceBandPct,
    offPct,
  );
}

export function checkMaxOrderNotional(limits: RiskLimits, order: OrderProposal): RiskDenial | undefined {
  if (limits.maxOrderNotional === null || order.notional <= limits.maxOrderNotional) return undefined;
  return deny(RISK_CODES.maxOrderNotional, `Order value ${money(order.notional)} exceeds the limit of ${money(limits.maxOrderNotional)} per order.`, limits.maxOrderNotional, order.notional);
}

export function checkMaxPositionNotional(limits: RiskLimits, order: OrderProposal): RiskDenial | undefined {
  if (limits.maxPositionNotional === null || order.resultingPositionNotional <= limits.maxPositionNotional) return undefined;
  return deny(
    RISK_CODES.maxPositionNotional,
    `The position would be worth ${money(order.resultingPositionNotional)}, above the limit of ${money(limits.maxPositionNotional)}.`,
    limits.maxPositionNotional,
    order.resultingPositionNotional,
  );
}

export function checkMaxOpenOrders(limits: RiskLimits, order: OrderProposal, openOrders: number): RiskDenial | undefined {
  // Only orders that stay on the book count; a market order fills at the next open.
  if (limits.maxOpenOrders === null || order.type === 'market' || openOrders < limits.maxOpenOrders) return undefined;
  return deny(RISK_CODES.maxOpenOrders, `${openOrders} orders are already working; the limit is ${limits.maxOpenOrders}.`, limits.maxOpenOrders, openOrders + 1);
}

export function checkOrderRate(limits: RiskLimits, nowMs: number, recentOrderTimesMs: readonly number[]): RiskDenial | undefined {
  if (limits.maxOrdersPerMinute === null) return undefined;
  const inLastMinute = recentOrderTimesMs.filter((t) => t > nowMs - 60_000 && t <= nowMs).length;
  if (inLastMinute < limits.maxOrdersPerMinute) return undefined;
  return deny(RISK_CODES.orderRate, `${inLastMinute} orders in the last minute; the limit is ${limits.maxOrdersPerMinute} per minute.`, limits.maxOrdersPerMinute, inLastMinute + 1);
}

export function checkBalance(order: OrderProposal, available: number): RiskDenial | undefined {
  if (order.kind === 'exit' || order.cost <= available) return undefined;
  return deny(RISK_CODES.balance, `The order needs ${money(order.cost)} but only ${money(available)} is available.`, available, order.cost);
}

/**
 * Every pre-trade check of one order, in a fixed order; the first failure is the answer. Exits reduce
 * risk, so only the market's rules and the price band apply to them.
 */
export function checkOrder(limits: RiskLimits, rules: MarketRules, account: RiskAccountView, order: OrderProposal): RiskDenial | undefined {
  const common = checkMarketMinimums(rules, order) ?? checkPriceBand(limits, order, account.lastPrice);
  if (common || order.kind === 'exit') return common;
  return (
    checkMaxOrderNotional(limits, order) ??
    checkMaxPositionNotional(limits, order) ??
    checkMaxOpenOrders(limits, order, account.openOrders) ??
    checkOrderRate(limits, account.nowMs, account.recentOrderTimesMs) ??
    checkBalance(order, account.available)
  );
}

export interface EquityWatch {
  readonly equity: number;
  /** Highest equity the bot has had (at bar closes). */
  readonly equityPeak: number;
  /** Equity at the start of the current UTC day. */
  readonly dayStartEquity: number;
}

export function checkDailyLoss(limits: RiskLimits, watch: EquityWatch): RiskDenial | undefined {
  if (limits.dailyLossLimit === null) return undefined;
  const loss = watch.dayStartEquity - watch.equity;
  if (loss < limits.dailyLossLimit) return undefined;
  return deny(RISK_CODES.dailyLoss, `Lost ${money(loss)} today, reaching the daily loss limit of ${money(limits.dailyLossLimit)}: the bot halts.`, limits.dailyLossLimit, loss);
}

export function checkMaxDrawdown(limits: RiskLimits, watch: EquityWatch): RiskDenial | undefined {
  if (limits.maxDrawdownPct === null || !(watch.equityPeak > 0)) return undefined;
  const drawdownPct = ((watch.equityPeak - watch.equity) / watch.equityPeak) * 100;
  if (drawdownPct < limits.maxDrawdownPct) return undefined;
  return deny(
    RISK_CODES.maxDrawdown,
    `Equity ${money(watch.equity)} is ${drawdownPct.toFixed(2)}% below its peak of ${money(watch.equityPeak)}, reaching the ${limits.maxDrawdownPct}% drawdown limit: the bot halts.`,
    limits.maxDrawdownPct,
    drawdownPct,
  );
}

/** The checks run at every bar close; a failure halts the bot. */
export function checkEquity(limits: RiskLimits, watch: EquityWatch): RiskDenial | undefined {
  return checkDailyLoss(limits, watch) ?? checkMaxDrawdown(limits, watch);
}
