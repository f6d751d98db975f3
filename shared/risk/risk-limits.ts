/**
 * A bot's risk limits and its market's trading rules (zod, part of the bot config), and the codes
 * every check answers with. `null` means "no limit".
 */
import { z } from 'zod';

export const RISK_CODES = {
  maxOrderNotional: 'RISK.MAX_ORDER_NOTIONAL',
  maxPositionNotional: 'RISK.MAX_POSITION_NOTIONAL',
  maxOpenOrders: 'RISK.MAX_OPEN_ORDERS',
  dailyLoss: 'RISK.DAILY_LOSS',
  maxDrawdown: 'RISK.MAX_DRAWDOWN',
  orderRate: 'RISK.ORDER_RATE',
  priceBand: 'RISK.PRICE_BAND',
  marketMinimums: 'RISK.MARKET_MINIMUMS',
  balance: 'RISK.BALANCE',
} as const;

export type RiskCode = (typeof RISK_CODES)[keyof typeof RISK_CODES];

/** Codes that halt the bot (the account is in trouble) rather than deny one order. */
export const HALTING_RISK_CODES: readonly RiskCode[] = [RISK_CODES.dailyLoss, RISK_CODES.maxDrawdown];

const positive = z.number().finite().positive();

export const riskLimitsSchema = z.strictObject({
  /** Largest notional (units × price, quote currency) of one order. */
  maxOrderNotional: positive.nullable().default(null),
  /** Largest notional of the position an order may lead to. */
  maxPositionNotional: positive.nullable().default(null),
  /** Most working (unfilled) orders at once. */
  maxOpenOrders: z.number().int().positive().nullable().default(null),
  /** Loss since the start of the UTC day (quote currency) that halts the bot. */
  dailyLossLimit: positive.nullable().default(null),
  /** Drawdown from the bot's equity peak, in percent, that halts the bot. */
  maxDrawdownPct: positive.max(100).nullable().default(null),
  /** Most orders placed in any 60 seconds. */
  maxOrdersPerMinute: z.number().int().positive().nullable().default(null),
  /** Limit/stop prices must lie within this percentage of the last price (fat-finger guard). */
  priceBandPct: positive.nullable().default(null),
});

export type RiskLimits = z.infer<typeof riskLimitsSchema>;

export const DEFAULT_RISK_LIMITS: RiskLimits = riskLimitsSchema.parse({});

export const marketRulesSchema = z.strictObject({
  /** Quantity step (lot size); quantities are multiples of it. */
  lotStep: positive.default(1),
  /** Price step; limit and stop prices are multiples of it. null: any price. */
  tickSize: positive.nullable().default(null),
  /** Smallest quantity of an order. */
  minQuantity: z.number().finite().nonnegative().default(0),
  /** Smallest notional of an order. */
  minNotional: z.number().finite().nonnegative().default(0),
  shortAllowed: z.boolean().default(false),
});

export type MarketRules = z.infer<typeof marketRulesSchema>;

/**
 * Whether `next` only tightens `current`: every limit present in `current` is present in `next` and
 * no looser; new limits may be added. Risk limits of a running bot may only change this way.
 */
export function isTightening(current: RiskLimits, next: RiskLimits): boolean {
  return (Object.keys(current) as (keyof RiskLimits)[]).every((key) => {
    const before = current[key];
    const after = next[key];
    if (before === null) return true;
    return after !== null && after <= before;
  });
}
