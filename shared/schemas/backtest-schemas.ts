/**
 * Request schemas of /api/backtests and /api/optimizations. Strategy params are checked against the
 * strategy's own zod schema here, so a bad param answers 400 with `details` pointing at
 * `params.<name>` (the site shows it next to the field).
 */
import { z } from 'zod';
import { getStrategy, parseStrategyParams } from '../trading/strategies/registry.js';
import { STATISTICS_KEYS } from '../trading/backtest/backtest-types.js';
import {
  CANDLE_TIMEFRAMES,
  MAX_GRID_AXES,
  MAX_OPTIMIZATION_COMBINATIONS,
  type BacktestSettingsView,
  type CandleSourceRequest,
  type GridAxisView,
} from './backtest-views.js';
import { displayText } from './text-fields.js';

// zod 4 numbers refuse NaN and ±Infinity.
const num = z.number({ error: 'must be a number' });
const paramValue = z.union([num, z.boolean(), z.string().max(100, 'must be at most 100 characters')], {
  error: 'must be a number, true/false or a short text',
});
const paramName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a parameter name');

const settingsShape = {
  strategy: z.string({ error: 'must be a strategy id' }).regex(/^[a-z0-9-]{1,64}$/, 'must be a strategy id such as sma-cross'),
  params: z.record(paramName, paramValue).default({}),
  cash: num.positive('must be positive').max(1e12, 'must be at most 1e12').default(10_000),
  commission: z
    .strictObject({
      rate: num.min(0, 'must be ≥ 0').lt(1, 'must be < 1 (a fraction of notional)').default(0),
      fixed: num.min(0, 'must be ≥ 0').max(1e9, 'must be at most 1e9').default(0),
    })
    .default({ rate: 0, fixed: 0 }),
  slippageBps: num.min(0, 'must be ≥ 0').lt(10_000, 'must be below 10000 bps').default(0),
  sizing: z
    .discriminatedUnion(
      'mode',
      [
        z.strictObject({ mode: z.literal('fraction'), value: num.positive('must be positive').max(1, 'must be at most 1 (no leverage)') }),
        z.strictObject({ mode: z.literal('quantity'), value: num.positive('must be positive') }),
        z.strictObject({ mode: z.literal('notional'), value: num.positive('must be positive') }),
      ],
      { error: 'mode must be fraction, quantity or notional' },
    )
    .default({ mode: 'fraction', value: 0.9999 }),
  lotStep: num.positive('must be positive').max(1e9, 'must be at most 1e9').default(1),
  shortAllowed: z.boolean({ error: 'must be true or false' }).default(true),
};

/** Adds the strategy's own checks: unknown strategy at `strategy`, bad params at `params.<name>`. */
function checkStrategyParams(value: { strategy: string; params: Record<string, unknown> }, ctx: z.RefinementCtx): void {
  const strategy = getStrategy(value.strategy);
  if (!strategy.ok) {
    ctx.addIssue({ code: 'custom', path: ['strategy'], message: strategy.error.message });
    return;
  }
  const params = parseStrategyParams(strategy.value, value.params);
  if (params.ok) return;
  for (const issue of params.error.details as z.core.$ZodIssue[]) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) ctx.addIssue({ code: 'custom', path: ['params', key], message: `is not a parameter of ${value.strategy}` });
    } else {
      ctx.addIssue({ code: 'custom', path: ['params', ...issue.path.map(String)], message: issue.message });
    }
  }
}

export const backtestSettingsSchema = z.strictObject({ name: displayText(100).optional(), ...settingsShape }).superRefine(checkStrategyParams);

export const candleSourceSchema = z
  .strictObject({
    exchange: z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be an exchange id such as binance'),
    symbol: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,39}$/, 'must be a market symbol such as BTC/USDT'),
    timeframe: z.enum(CANDLE_TIMEFRAMES, { error: `must be one of ${CANDLE_TIMEFRAMES.join(', ')}` }),
    fromMs: z.number({ error: 'must be epoch milliseconds' }).int('must be whole milliseconds').min(0, 'must not be negative'),
    toMs: z.number({ error: 'must be epoch milliseconds' }).int('must be whole milliseconds').min(0, 'must not be negative'),
  })
  .refine((s) => s.fromMs < s.toMs, { path: ['toMs'], message: 'must be after fromMs' }) satisfies z.ZodType<CandleSourceRequest>;

/** JSON body of POST /api/backtests (stored candles; CSV uploads send the settings in the query). */
export const createBacktestBodySchema = z
  .strictObject({ name: displayText(100).optional(), ...settingsShape, data: candleSourceSchema })
  .superRefine(checkStrategyParams);

/** Query of a CSV upload: the same settings as JSON text, and the file's name for messages. */
export const csvUploadQuerySchema = z.strictObject({
  settings: z.string().max(16_384, 'is too long').default('{}'),
  fileName: z
    .string()
    .max(200, 'must be at most 200 characters')
    // eslint-disable-next-line no-control-regex -- control characters are what this refuses
    .regex(/^[^\\/\u0000-\u001f]+$/, 'must be a file name without a path')
    .default('upload.csv'),
});

const metricSchema = z.enum(STATISTICS_KEYS, { error: `must be a statistic: ${STATISTICS_KEYS.join(', ')}` });

const rangeAxis = z
  .strictObject({ name: paramName, start: num, end: num, step: num.positive('must be positive') })
  .refine((a) => a.end >= a.start, { path: ['end'], message: 'must not be below start' });
const listAxis = z.strictObject({ name: paramName, values: z.array(paramValue).min(1, 'must list at least one value').max(1000, 'must list at most 1000 values') });

export const gridAxisSchema = z.union([rangeAxis, listAxis], { error: 'must be {name, start, end, step} or {name, values}' });

/** Inclusive range with exact decimals, as the CLI's `--grid name=start:end:step`. */
export function expandAxis(axis: z.infer<typeof gridAxisSchema>): GridAxisView {
  if ('values' in axis) return { name: axis.name, values: axis.values };
  const decimals = (v: number): number => (String(v).split('.')[1] ?? '').length;
  const places = Math.min(12, Math.max(decimals(axis.start), decimals(axis.step)));
  const count = Math.min(MAX_OPTIMIZATION_COMBINATIONS + 1, Math.floor((axis.end - axis.start) / axis.step + 1e-9) + 1);
  return { name: axis.name, values: Array.from({ length: count }, (_, i) => Number((axis.start + i * axis.step).toFixed(places))) };
}

const optimizationShape = {
  name: displayText(100).optional(),
  ...settingsShape,
  grid: z.array(gridAxisSchema).min(1, 'must have at least one axis').max(MAX_GRID_AXES, `must have at most ${MAX_GRID_AXES} axes`),
  metric: metricSchema.default('sharpe'),
};

function checkGrid(value: { strategy: string; params: Record<string, unknown>; grid: z.infer<typeof gridAxisSchema>[] }, ctx: z.RefinementCtx): void {
  const strategy = getStrategy(value.strategy);
  if (!strategy.ok) {
    ctx.addIssue({ code: 'custom', path: ['strategy'], message: strategy.error.message });
    return;
  }
  const known = Object.keys((strategy.value.paramsSchema as z.ZodType<Record<string, unknown>>).parse({}));
  let combinations = 1;
  const seen = new Set<string>();
  value.grid.forEach((axis, i) => {
    if (!known.includes(axis.name)) ctx.addIssue({ code: 'custom', path: ['grid', i, 'name'], message: `${value.strategy} has no parameter "${axis.name}"; it has ${known.join(', ')}` });
    if (seen.has(axis.name)) ctx.addIssue({ code: 'custom', path: ['grid', i, 'name'], message: 'appears twice' });
    if (axis.name in value.params) ctx.addIssue({ code: 'custom', path: ['grid', i, 'name'], message: 'is also a fixed param' });
    seen.add(axis.name);
    combinations *= expandAxis(axis).values.length;
  });
  if (combinations > MAX_OPTIMIZATION_COMBINATIONS) {
    ctx.addIssue({ code: 'custom', path: ['grid'], message: `has ${combinations} combinations; the API runs at most ${MAX_OPTIMIZATION_COMBINATIONS} (use npm run optimize for more)` });
  }
}

export const optimizationSettingsSchema = z.strictObject(optimizationShape).superRefine(checkGrid);
export const createOptimizationBodySchema = z.strictObject({ ...optimizationShape, data: candleSourceSchema }).superRefine(checkGrid);

export const jobDetailQuerySchema = z.strictObject({
  maxPoints: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(100, 'must be at least 100')
    .max(100_000, 'must be at most 100000')
    .optional(),
});

export const jobIdParams = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/) });

export type BacktestSettings = z.infer<typeof backtestSettingsSchema>;
export type CreateBacktestBody = z.infer<typeof createBacktestBodySchema>;
export type OptimizationSettings = z.infer<typeof optimizationSettingsSchema>;
export type CreateOptimizationBody = z.infer<typeof createOptimizationBodySchema>;

export const settingsView = (s: BacktestSettings | CreateBacktestBody | OptimizationSettings): BacktestSettingsView => ({
  strategy: s.strategy,
  params: s.params,
  cash: s.cash,
  commission: s.commission,
  slippageBps: s.slippageBps,
  sizing: s.sizing,
  lotStep: s.lotStep,
  shortAllowed: s.shortAllowed,
});
