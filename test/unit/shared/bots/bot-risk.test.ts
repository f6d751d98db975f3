/** Each risk limit through a whole paper bot: denial or halt, with its event. */
import { loadReferenceSeries } from '../trading/backtest/reference-data.js';
import { botConfig, ExecutionSim, paperConnection, seriesBars } from './execution-sim.js';

const GOOG = loadReferenceSeries('GOOG');
const MARKET = 'paper:GOOG:1d';

function run(config: Record<string, unknown>, bars = 400, connection = paperConnection()) {
  const sim = new ExecutionSim();
  sim.command('bot1', 'create', { config: botConfig(config) });
  sim.command('bot1', 'start', { connection });
  sim.postBars(MARKET, seriesBars(GOOG, 0, bars));
  return sim;
}

const codes = (sim: ExecutionSim) => sim.eventsOf('bot1', 'risk-denial').map((e) => e.code);

describe('risk limits in a running bot', () => {
  it('RISK.MAX_ORDER_NOTIONAL denies the order and places nothing', () => {
    const sim = run({ risk: { maxOrderNotional: 1000 } });
    expect(new Set(codes(sim))).toEqual(new Set(['RISK.MAX_ORDER_NOTIONAL']));
    expect(sim.orders.size).toBe(0);
    expect(sim.bot('bot1').machine.status).toBe('running');
  });

  it('RISK.MAX_POSITION_NOTIONAL denies entries that would make the position too large', () => {
    const sim = run({ risk: { maxPositionNotional: 5000 } });
    expect(codes(sim)).toContain('RISK.MAX_POSITION_NOTIONAL');
    expect(sim.orders.size).toBe(0);
  });

  it('RISK.MAX_OPEN_ORDERS caps the working orders of a grid', () => {
    const sim = run({ strategy: { id: 'grid', params: {} }, risk: { maxOpenOrders: 2 } }, 200);
    expect(codes(sim)).toContain('RISK.MAX_OPEN_ORDERS');
    const view = sim.bot('bot1').runner.view!;
    expect(view.openOrders.filter((o) => o.type !== 'market').length).toBeLessThanOrEqual(2);
  });

  it('RISK.ORDER_RATE limits the orders per minute of the clock the bars arrived with', () => {
    const sim = run({ strategy: { id: 'grid', params: {} }, risk: { maxOrdersPerMinute: 3 } }, 200);
    expect(codes(sim)).toContain('RISK.ORDER_RATE');
    // All bars arrived in one post (one "now"): at most 3 orders went out.
    expect(sim.orders.size).toBeLessThanOrEqual(3);
  });

  it('RISK.PRICE_BAND refuses limit prices far from the last price', () => {
    const sim = run({ strategy: { id: 'grid', params: {} }, risk: { priceBandPct: 0.5 } }, 200);
    expect(codes(sim)).toContain('RISK.PRICE_BAND');
  });

  it('RISK.MARKET_MINIMUMS refuses orders below the market minimum', () => {
    const sim = run({ marketRules: { minNotional: 50_000 } });
    expect(new Set(codes(sim))).toEqual(new Set(['RISK.MARKET_MINIMUMS']));
    expect(sim.orders.size).toBe(0);
  });

  it('RISK.BALANCE refuses entries the capital cannot pay for', () => {
    const sim = run({ sizing: { mode: 'quantity', value: 500 } });
    expect(codes(sim)).toContain('RISK.BALANCE');
  });

  it('RISK.DAILY_LOSS halts the bot, after which bars place no orders', () => {
    const sim = run({ risk: { dailyLossLimit: 50 } }, 600);
    const bot = sim.bot('bot1');
    expect(bot.machine.status).toBe('halted');
    expect(bot.machine.reason?.code).toBe('RISK.DAILY_LOSS');
    expect(codes(sim).filter((c) => c === 'RISK.DAILY_LOSS')).toHaveLength(1);
    const lastState = sim.eventsOf('bot1', 'state-change').at(-1)!;
    expect(lastState.data).toMatchObject({ from: 'running', to: 'halted' });
    // Halted: later bars place nothing.
    const ordersAtHalt = sim.orders.size;
    sim.postBars(MARKET, seriesBars(GOOG, 600, 800));
    expect(sim.orders.size).toBe(ordersAtHalt);
  });

  it('RISK.MAX_DRAWDOWN halts the bot; resume by a person returns it to running', () => {
    const sim = run({ risk: { maxDrawdownPct: 3 } }, 600);
    expect(sim.bot('bot1').machine).toMatchObject({ status: 'halted', reason: { code: 'RISK.MAX_DRAWDOWN' } });
    sim.command('bot1', 'resume');
    expect(sim.bot('bot1').machine.status).toBe('running');
  });
});
