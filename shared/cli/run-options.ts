/**
 * Options shared by `backtest` and `optimize`: data file, strategy, params and the backtest config.
 * Flag syntax is checked here with zod; the value rules (cash > 0, commission in [0, 1), …) are the
 * engine's own config schema, reported under the flag names the user typed.
 */
import { z } from 'zod';
import { appError, err, ok, type Result } from '../core/result.js';
import { parseBacktestConfig } from '../trading/backtest/backtest-config.js';
import type { BacktestConfig } from '../trading/backtest/backtest-types.js';
import { coerceParamValue, type GridValue } from '../trading/optimize/grid-spec.js';
import { CLI_INVALID_ARGS, type FlagSpecs } from './argv-tokens.js';

export const RUN_FLAGS = {
  data: 'value',
  strategy: 'value',
  param: 'repeated',
  cash: 'value',
  commission: 'value',
  'fixed-commission': 'value',
  size: 'value',
  lot: 'value',
  slippage: 'value',
  'long-only': 'boolean',
  help: 'boolean',
} as const satisfies FlagSpecs;

const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

export const numberFlag = z
  .string()
  .regex(NUMBER_TEXT, { error: (issue) => `expected a number, got "${String(issue.input)}"` })
  .transform(Number);

export const paramAssignment = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*=.*$/, { error: (issue) => `expected name=value, got "${String(issue.input)}"` });

export const runOptionsSchema = z.object({
  data: z.string({ error: 'is required: --data FILE.csv' }).min(1, 'must not be empty'),
  strategy: z.string({ error: 'is required: --strategy ID' }).min(1, 'must not be empty'),
  param: z.array(paramAssignment).default([]),
  cash: numberFlag.optional(),
  commission: numberFlag.optional(),
  'fixed-commission': numberFlag.optional(),
  size: numberFlag.optional(),
  lot: numberFlag.optional(),
  slippage: numberFlag.optional(),
  'long-only': z.literal(true).optional(),
});

export type RunOptionsInput = z.infer<typeof runOptionsSchema>;

export interface RunOptions {
  readonly dataPath: string;
  readonly strategyId: string;
  /** `--param` values, typed by `coerceParamValue`; the strategy schema validates them. */
  readonly rawParams: Readonly<Record<string, GridValue>>;
  readonly config: BacktestConfig;
}

export const DEFAULT_CASH = 10_000;
export const DEFAULT_SIZE = 0.9999;

/** Flag each engine config path came from, so messages name what the user typed. */
const CONFIG_PATH_FLAGS: Readonly<Record<string, string>> = {
  cash: '--cash',
  'commission.rate': '--commission',
  'commission.fixed': '--fixed-commission',
  'sizing.value': '--size',
  lotStep: '--lot',
  slippageBps: '--slippage',
};

/** zod issues as `--flag: message` lines. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], pathToFlag: (path: string) => string): string {
  return issues.map((issue) => `${pathToFlag(issue.path.map(String).join('.'))}: ${issue.message}`).join('\n');
}

export function invalidArgs(message: string): Result<never> {
  return err(appError(CLI_INVALID_ARGS, message));
}

export function parseParamAssignments(assignments: readonly string[]): Result<Record<string, GridValue>> {
  const params: Record<string, GridValue> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    const name = assignment.slice(0, equals);
    if (Object.hasOwn(params, name)) return invalidArgs(`--param ${name} given more than once`);
    params[name] = coerceParamValue(assignment.slice(equals + 1));
  }
  return ok(params);
}

export function toRunOptions(input: RunOptionsInput): Result<RunOptions> {
  const params = parseParamAssignments(input.param);
  if (!params.ok) return params;
  const config = parseBacktestConfig({
    cash: input.cash ?? DEFAULT_CASH,
    commission: { rate: input.commission ?? 0, fixed: input['fixed-commission'] ?? 0 },
    slippageBps: input.slippage ?? 0,
    sizing: { mode: 'fraction', value: input.size ?? DEFAULT_SIZE },
    lotStep: input.lot ?? 1,
    shortAllowed: input['long-only'] !== true,
  });
  if (!config.ok) {
    const issues = Array.isArray(config.error.details) ? (config.error.details as z.core.$ZodIssue[]) : [];
    const message =
      issues.length > 0 ? formatIssues(issues, (path) => CONFIG_PATH_FLAGS[path] ?? path) : config.error.message;
    return invalidArgs(message);
  }
  return ok({ dataPath: input.data, strategyId: input.strategy, rawParams: params.value, config: config.value });
}
