/**
 * Validation of a backtest configuration. Boundaries (CLI, API, optimizer) call `parseBacktestConfig`
 * and report the zod messages; `runBacktest` re-checks with `assertBacktestConfig` because a bad
 * config is a programming error there.
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { appError, err, ok } from '../../core/result.js';
import type { BacktestConfig } from './backtest-types.js';

export const BACKTEST_INVALID_CONFIG = 'BACKTEST.INVALID_CONFIG' as const;

const positiveFinite = z.number().finite().positive();

export const sizingSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('fraction'), value: positiveFinite.max(1, 'fraction must be at most 1 (no leverage)') }),
  z.object({ mode: z.literal('quantity'), value: positiveFinite }),
  z.object({ mode: z.literal('notional'), value: positiveFinite }),
]);

export const backtestConfigSchema = z.object({
  cash: positiveFinite,
  commission: z
    .object({
      rate: z.number().finite().min(0, 'commission rate must be ≥ 0').lt(1, 'commission rate must be < 1').default(0),
      fixed: z.number().finite().min(0, 'fixed commission must be ≥ 0').default(0),
    })
    .default({ rate: 0, fixed: 0 }),
  slippageBps: z.number().finite().min(0).lt(10_000).default(0),
  sizing: sizingSchema.default({ mode: 'fraction', value: 0.9999 }),
  lotStep: positiveFinite.default(1),
  shortAllowed: z.boolean().default(true),
});

/** The defaults the reference semantics use: fraction 0.9999 of equity, whole units, no fees. */
export const DEFAULT_BACKTEST_CONFIG: BacktestConfig = backtestConfigSchema.parse({ cash: 10_000 });

export function parseBacktestConfig(input: unknown): Result<BacktestConfig> {
  const parsed = backtestConfigSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return err(appError(BACKTEST_INVALID_CONFIG, `backtest config: ${z.prettifyError(parsed.error)}`, parsed.error.issues));
}

export class BacktestConfigError extends Error {
  readonly code = BACKTEST_INVALID_CONFIG;
  constructor(message: string) {
    super(message);
    this.name = 'BacktestConfigError';
  }
}

/** Cheap structural re-check for `runBacktest` (the optimizer calls it thousands of times). */
export function assertBacktestConfig(config: BacktestConfig): void {
  const problems: string[] = [];
  const positive = (value: number, name: string): void => {
    if (!(Number.isFinite(value) && value > 0)) problems.push(`${name} must be a positive finite number`);
  };
  positive(config.cash, 'cash');
  positive(config.lotStep, 'lotStep');
  positive(config.sizing.value, 'sizing.value');
  if (config.sizing.mode === 'fraction' && config.sizing.value > 1) problems.push('sizing fraction must be at most 1');
  const { rate, fixed } = config.commission;
  if (!(rate >= 0 && rate < 1)) problems.push('commission.rate must be in [0, 1)');
  if (!(fixed >= 0 && Number.isFinite(fixed))) problems.push('commission.fixed must be ≥ 0');
  if (!(config.slippageBps >= 0 && config.slippageBps < 10_000)) problems.push('slippageBps must be in [0, 10000)');
  if (problems.length > 0) throw new BacktestConfigError(`invalid backtest config: ${problems.join('; ')}`);
}
