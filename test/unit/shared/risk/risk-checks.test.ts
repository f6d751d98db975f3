import { checkBalance, checkDailyLoss, checkEquity, checkMarketMinimums, checkMaxDrawdown, checkMaxOpenOrders, checkMaxOrderNotional, checkMaxPositionNotional, checkOrder, checkOrderRate, checkPriceBand, type OrderProposal } from '../../../../shared/risk/risk-checks.js';
import { DEFAULT_RISK_LIMITS, isTightening, marketRulesSchema, riskLimitsSchema } from '../../../../shared/risk/risk-limits.js';

const order = (o: Partial<OrderProposal> = {}): OrderProposal => ({ kind: 'entry', type: 'market', price: null, quantity: 10, notional: 1000, resultingPositionNotional: 1000, cost: 1000, ...o });
const limits = (l: Record<string, unknown>) => riskLimitsSchema.parse(l);
const rules = (r: Record<string, unknown> = {}) => marketRulesSchema.parse(r);

describe('risk checks', () => {
  it('max order notional denies above the limit and passes at it', () => {
    expect(checkMaxOrderNotional(limits({ maxOrderNotional: 999 }), order())).toMatchObject({ code: 'RISK.MAX_ORDER_NOTIONAL', halts: false, details: { limit: 999, actual: 1000 } });
    expect(checkMaxOrderNotional(limits({ maxOrderNotional: 1000 }), order())).toBeUndefined();
  });

  it('max position notional looks at the position after the fill', () => {
    expect(checkMaxPositionNotional(limits({ maxPositionNotional: 1500 }), order({ resultingPositionNotional: 1600 }))?.code).toBe('RISK.MAX_POSITION_NOTIONAL');
    expect(checkMaxPositionNotional(limits({ maxPositionNotional: 1500 }), order({ resultingPositionNotional: 1500 }))).toBeUndefined();
  });

  it('max open orders counts only orders that stay on the book', () => {
    expect(checkMaxOpenOrders(limits({ maxOpenOrders: 2 }), order({ type: 'limit', price: 99 }), 2)?.code).toBe('RISK.MAX_OPEN_ORDERS');
    expect(checkMaxOpenOrders(limits({ maxOpenOrders: 2 }), order({ type: 'limit', price: 99 }), 1)).toBeUndefined();
    expect(checkMaxOpenOrders(limits({ maxOpenOrders: 2 }), order(), 5)).toBeUndefined();
  });

  it('order rate counts orders of the last 60 seconds of the clock it is given', () => {
    const l = limits({ maxOrdersPerMinute: 2 });
    expect(checkOrderRate(l, 100_000, [50_000, 90_000])?.code).toBe('RISK.ORDER_RATE');
    expect(checkOrderRate(l, 100_000, [30_000, 90_000])).toBeUndefined();
  });

  it('price band guards limit and stop prices around the last price', () => {
    const l = limits({ priceBandPct: 5 });
    expect(checkPriceBand(l, order({ type: 'limit', price: 94 }), 100)).toMatchObject({ code: 'RISK.PRICE_BAND' });
    expect(checkPriceBand(l, order({ type: 'limit', price: 95 }), 100)).toBeUndefined();
    expect(checkPriceBand(l, order(), 100)).toBeUndefined();
  });

  it('market minimums check quantity, notional and tick size', () => {
    expect(checkMarketMinimums(rules({ minQuantity: 20 }), order())?.message).toMatch(/below the market minimum 20/);
    expect(checkMarketMinimums(rules({ minNotional: 2000 }), order())?.code).toBe('RISK.MARKET_MINIMUMS');
    expect(checkMarketMinimums(rules({ tickSize: 0.05 }), order({ type: 'limit', price: 10.03 }))?.message).toMatch(/tick size/);
    expect(checkMarketMinimums(rules({ tickSize: 0.05 }), order({ type: 'limit', price: 10.05 }))).toBeUndefined();
    expect(checkMarketMinimums(rules({ lotStep: 1 }), order({ quantity: 0 }))?.code).toBe('RISK.MARKET_MINIMUMS');
  });

  it('balance needs the cost of an entry to be available', () => {
    expect(checkBalance(order({ cost: 1001 }), 1000)?.code).toBe('RISK.BALANCE');
    expect(checkBalance(order({ kind: 'exit', cost: 0 }), 0)).toBeUndefined();
  });

  it('exits only meet the market rules and the price band', () => {
    const strict = limits({ maxOrderNotional: 1, maxPositionNotional: 1, maxOpenOrders: 1, maxOrdersPerMinute: 1 });
    const account = { available: 0, openOrders: 9, lastPrice: 100, nowMs: 0, recentOrderTimesMs: [0] };
    expect(checkOrder(strict, rules(), account, order({ kind: 'exit', cost: 0 }))).toBeUndefined();
    expect(checkOrder(strict, rules(), account, order())?.code).toBe('RISK.MAX_ORDER_NOTIONAL');
  });

  it('daily loss and drawdown halt the bot', () => {
    expect(checkDailyLoss(limits({ dailyLossLimit: 100 }), { equity: 900, equityPeak: 1000, dayStartEquity: 1000 })).toMatchObject({ code: 'RISK.DAILY_LOSS', halts: true });
    expect(checkDailyLoss(limits({ dailyLossLimit: 100 }), { equity: 901, equityPeak: 1000, dayStartEquity: 1000 })).toBeUndefined();
    expect(checkMaxDrawdown(limits({ maxDrawdownPct: 10 }), { equity: 900, equityPeak: 1000, dayStartEquity: 900 })).toMatchObject({ code: 'RISK.MAX_DRAWDOWN', halts: true });
    expect(checkEquity(DEFAULT_RISK_LIMITS, { equity: 1, equityPeak: 1000, dayStartEquity: 1000 })).toBeUndefined();
  });

  it('knows a tightening from a loosening', () => {
    expect(isTightening(limits({ maxOrderNotional: 10 }), limits({ maxOrderNotional: 5, maxOpenOrders: 1 }))).toBe(true);
    expect(isTightening(limits({ maxOrderNotional: 10 }), limits({ maxOrderNotional: 11 }))).toBe(false);
    expect(isTightening(limits({ maxOrderNotional: 10 }), limits({}))).toBe(false);
  });
});
