/** `npm run optimize -- …` arguments. */
import { z } from 'zod';
import { ok, type Result } from '../core/result.js';
import { parseGridAxes, type GridAxis } from '../trading/optimize/grid-spec.js';
import { isOptimizeMetric, OPTIMIZE_METRICS, type OptimizeMetric } from '../trading/optimize/optimize-metric.js';
import { parseWalkForwardSpec, type WalkForwardSpec } from '../trading/optimize/walk-forward.js';
import { tokenizeArgs } from './argv-tokens.js';
import { formatIssues, invalidArgs, RUN_FLAGS, runOptionsSchema, toRunOptions, type RunOptions } from './run-options.js';

export const OPTIMIZE_USAGE = `Usage: npm run optimize -- --data FILE.csv --strategy ID --grid name=start:end:step ... [options]

  --grid name=start:end:step   inclusive numeric range to search, repeatable (one per parameter)
  --grid name=a,b,c            or a list of values (numbers, true/false, words)
  --metric KEY                 statistic to optimise (default sharpe; higher is better except
                               volatilityAnnPct and maxDrawdownDurationDays)
  --walk-forward train=N,test=M  roll windows of N training bars and M test bars; report
                               out-of-sample statistics of each window's best parameters
  --workers N                  worker threads (default: one per core)
  --top N                      rows in the results table (default 10)
  --json                       print results as one JSON object
  --param name=value           fixed strategy parameter, repeatable
  --cash, --commission, --fixed-commission, --size, --lot, --slippage, --long-only
                               as for npm run backtest
  --help                       show this help
`;

const OPTIMIZE_FLAGS = {
  ...RUN_FLAGS,
  grid: 'repeated',
  metric: 'value',
  'walk-forward': 'value',
  workers: 'value',
  top: 'value',
  json: 'boolean',
} as const;

const positiveInteger = z
  .string()
  .regex(/^\s*\d+\s*$/, { error: (issue) => `expected a whole number, got "${String(issue.input)}"` })
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1'));

const optimizeArgsSchema = runOptionsSchema.extend({
  grid: z.array(z.string(), { error: 'is required: --grid name=start:end:step (repeat per parameter)' }).min(1),
  metric: z
    .string()
    .refine(isOptimizeMetric, { error: `must be one of: ${OPTIMIZE_METRICS.join(', ')}` })
    .default('sharpe'),
  'walk-forward': z.string().optional(),
  workers: positiveInteger.optional(),
  top: positiveInteger.default(10),
  json: z.literal(true).optional(),
});

export interface OptimizeArgs extends RunOptions {
  readonly axes: readonly GridAxis[];
  readonly metric: OptimizeMetric;
  readonly walkForward: WalkForwardSpec | undefined;
  /** Undefined means one per core. */
  readonly workers: number | undefined;
  readonly top: number;
  readonly json: boolean;
}

export type ParsedOptimizeArgs = { readonly help: true } | ({ readonly help: false } & OptimizeArgs);

export function parseOptimizeArgs(argv: readonly string[]): Result<ParsedOptimizeArgs> {
  const tokens = tokenizeArgs(argv, OPTIMIZE_FLAGS);
  if (!tokens.ok) return tokens;
  if (tokens.value.help === true) return ok({ help: true });
  const parsed = optimizeArgsSchema.safeParse(tokens.value);
  if (!parsed.success) return invalidArgs(formatIssues(parsed.error.issues, (path) => `--${path.split('.')[0]}`));
  const run = toRunOptions(parsed.data);
  if (!run.ok) return run;
  const axes = parseGridAxes(parsed.data.grid);
  if (!axes.ok) return invalidArgs(axes.error.message);
  const fixedAlsoInGrid = axes.value.find((axis) => Object.hasOwn(run.value.rawParams, axis.name));
  if (fixedAlsoInGrid) return invalidArgs(`${fixedAlsoInGrid.name} is given both as --param and as --grid`);
  let walkForward: WalkForwardSpec | undefined;
  if (parsed.data['walk-forward'] !== undefined) {
    const spec = parseWalkForwardSpec(parsed.data['walk-forward']);
    if (!spec.ok) return invalidArgs(spec.error.message);
    walkForward = spec.value;
  }
  return ok({
    help: false,
    ...run.value,
    axes: axes.value,
    metric: parsed.data.metric,
    walkForward,
    workers: parsed.data.workers,
    top: parsed.data.top,
    json: parsed.data.json === true,
  });
}
