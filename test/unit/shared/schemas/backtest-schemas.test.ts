import { backtestSettingsSchema, createBacktestBodySchema, expandAxis, optimizationSettingsSchema } from '../../../../shared/schemas/backtest-schemas';

const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('backtestSettingsSchema', () => {
  it('fills the engine defaults', () => {
    expect(backtestSettingsSchema.parse({ strategy: 'sma-cross' })).toEqual({
      strategy: 'sma-cross',
      params: {},
      cash: 10_000,
      commission: { rate: 0, fixed: 0 },
      slippageBps: 0,
      sizing: { mode: 'fraction', value: 0.9999 },
      lotStep: 1,
      shortAllowed: true,
    });
  });

  it("puts the strategy's own refusals at params.<name>", () => {
    expect(issues(backtestSettingsSchema.safeParse({ strategy: 'sma-cross', params: { fast: 30, slow: 10 } }))).toEqual(['params.fast: fast must be less than slow']);
    expect(issues(backtestSettingsSchema.safeParse({ strategy: 'sma-cross', params: { fsat: 5 } }))).toEqual(['params.fsat: is not a parameter of sma-cross']);
    expect(issues(backtestSettingsSchema.safeParse({ strategy: 'rsi-reversion', params: { period: 1.5 } }))[0]).toMatch(/^params\.period: /);
  });

  it('names an unknown strategy at strategy, with the available ids', () => {
    expect(issues(backtestSettingsSchema.safeParse({ strategy: 'nope' }))[0]).toMatch(/^strategy: unknown strategy "nope"; available: sma-cross, /);
  });

  it('refuses leverage, negative costs, unknown fields and a tenantId', () => {
    expect(issues(backtestSettingsSchema.safeParse({ strategy: 'sma-cross', sizing: { mode: 'fraction', value: 1.5 } }))).toEqual(['sizing.value: must be at most 1 (no leverage)']);
    expect(issues(backtestSettingsSchema.safeParse({ strategy: 'sma-cross', commission: { rate: -0.1 } }))).toEqual(['commission.rate: must be ≥ 0']);
    expect(backtestSettingsSchema.safeParse({ strategy: 'sma-cross', tenantId: 'x' }).success).toBe(false);
  });
});

describe('createBacktestBodySchema', () => {
  it('takes a stored-candle range that ends after it starts', () => {
    const data = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', fromMs: 0, toMs: 3_600_000 };
    expect(createBacktestBodySchema.safeParse({ strategy: 'sma-cross', data }).success).toBe(true);
    expect(issues(createBacktestBodySchema.safeParse({ strategy: 'sma-cross', data: { ...data, toMs: 0 } }))).toEqual(['data.toMs: must be after fromMs']);
    expect(issues(createBacktestBodySchema.safeParse({ strategy: 'sma-cross', data: { ...data, timeframe: '2h' } }))[0]).toMatch(/^data.timeframe: must be one of 1m, 5m/);
  });
});

describe('optimizationSettingsSchema', () => {
  it('takes ranges and lists and defaults the metric to sharpe', () => {
    const parsed = optimizationSettingsSchema.parse({ strategy: 'sma-cross', grid: [{ name: 'fast', start: 5, end: 20, step: 5 }, { name: 'allowShort', values: [true, false] }] });
    expect(parsed.metric).toBe('sharpe');
  });

  it('refuses unknown, repeated and fixed grid params and grids over the API limit', () => {
    expect(issues(optimizationSettingsSchema.safeParse({ strategy: 'sma-cross', grid: [{ name: 'period', values: [1] }] }))).toEqual(['grid.0.name: sma-cross has no parameter "period"; it has fast, slow, allowShort']);
    expect(issues(optimizationSettingsSchema.safeParse({ strategy: 'sma-cross', grid: [{ name: 'fast', values: [1] }, { name: 'fast', values: [2] }] }))).toEqual(['grid.1.name: appears twice']);
    expect(issues(optimizationSettingsSchema.safeParse({ strategy: 'sma-cross', params: { fast: 5 }, grid: [{ name: 'fast', values: [1] }] }))).toEqual(['grid.0.name: is also a fixed param']);
    expect(issues(optimizationSettingsSchema.safeParse({ strategy: 'sma-cross', grid: [{ name: 'fast', start: 1, end: 100, step: 1 }, { name: 'slow', start: 1, end: 100, step: 1 }] }))).toEqual([
      'grid: has 10000 combinations; the API runs at most 5000 (use npm run optimize for more)',
    ]);
  });
});

describe('expandAxis', () => {
  it('expands an inclusive range with exact decimals, like the CLI', () => {
    expect(expandAxis({ name: 'x', start: 0.1, end: 0.3, step: 0.1 }).values).toEqual([0.1, 0.2, 0.3]);
    expect(expandAxis({ name: 'x', start: 5, end: 50, step: 5 }).values).toHaveLength(10);
    expect(expandAxis({ name: 'x', values: ['long', 'short'] }).values).toEqual(['long', 'short']);
  });
});
