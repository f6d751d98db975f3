/**
 * The built-in strategies by id, and param validation as a value for boundaries (CLI, API, bots).
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import { appError, err, ok } from '../../core/result.js';
import { bollingerReversionStrategy } from './bollinger-reversion.strategy.js';
import { dcaStrategy } from './dca.strategy.js';
import { donchianBreakoutStrategy } from './donchian-breakout.strategy.js';
import { emaCrossStrategy } from './ema-cross.strategy.js';
import { gridStrategy } from './grid.strategy.js';
import { macdTrendStrategy } from './macd-trend.strategy.js';
import { rsiReversionStrategy } from './rsi-reversion.strategy.js';
import { signalStrategy } from './signal.strategy.js';
import { smaCrossStrategy } from './sma-cross.strategy.js';
import type { AnyStrategy, Strategy } from './strategy.js';

export const STRATEGY_UNKNOWN = 'STRATEGY.UNKNOWN' as const;
export const STRATEGY_INVALID_PARAMS = 'STRATEGY.INVALID_PARAMS' as const;

export const STRATEGIES: readonly AnyStrategy[] = Object.freeze([
  smaCrossStrategy,
  emaCrossStrategy,
  rsiReversionStrategy,
  bollingerReversionStrategy,
  macdTrendStrategy,
  donchianBreakoutStrategy,
  gridStrategy,
  dcaStrategy,
]);

export const STRATEGY_IDS: readonly string[] = Object.freeze(STRATEGIES.map((s) => s.id));

const byId = new Map<string, AnyStrategy>(STRATEGIES.map((s) => [s.id, s]));
/** Webhook-driven bots (docs/webhooks.md): found by id, not listed with the bar strategies it does not compete with. */
byId.set(signalStrategy.id, signalStrategy);

export function getStrategy(id: string): Result<AnyStrategy> {
  const strategy = byId.get(id);
  if (strategy !== undefined) return ok(strategy);
  return err(
    appError(STRATEGY_UNKNOWN, `unknown strategy "${id}"; available: ${STRATEGY_IDS.join(', ')}`, { id, available: STRATEGY_IDS }),
  );
}

/** Validates raw params (absent ones take their defaults); the error carries zod's messages and issues. */
export function parseStrategyParams<P extends Record<string, unknown>>(strategy: Strategy<P, unknown>, raw: unknown): Result<P> {
  const parsed = strategy.paramsSchema.safeParse(raw ?? {});
  if (parsed.success) return ok(parsed.data);
  return err(
    appError(STRATEGY_INVALID_PARAMS, `invalid params for ${strategy.id}: ${z.prettifyError(parsed.error)}`, parsed.error.issues),
  );
}
