/**
 * A bot's configuration (schema version 1): what it trades, with which strategy and params, how it
 * sizes entries, its capital and its risk limits. Every change is a new config version recorded with
 * who changed what and when (`diffConfig` names the changed paths).
 */
import { z } from 'zod';
import { appError, err, ok, type AppError, type Result } from '../core/result.js';
import { marketRulesSchema, riskLimitsSchema, type MarketRules, type RiskLimits } from '../risk/risk-limits.js';
import { getStrategy, parseStrategyParams } from '../trading/strategies/registry.js';
import type { Sizing } from '../trading/strategies/strategy.js';

export const BOT_CONFIG_SCHEMA_VERSION = 1 as const;
export const BOT_INVALID_CONFIG = 'BOT.INVALID_CONFIG' as const;

export const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w'] as const;

const positive = z.number().finite().positive();

export const botSizingSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('fraction'), value: positive.max(1, 'fraction must be at most 1 (no leverage)') }),
  z.strictObject({ mode: z.literal('quantity'), value: positive }),
  z.strictObject({ mode: z.literal('notional'), value: positive }),
]);

export const botMarketSchema = z.strictObject({
  exchange: z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be an exchange id (lower-case letters, digits, -)'),
  symbol: z.string().regex(/^[A-Za-z0-9./_-]{1,40}$/, 'must be 1-40 letters, digits or . / _ -'),
  timeframe: z.enum(TIMEFRAMES),
});

export const botConfigInputSchema = z.strictObject({
  schemaVersion: z.literal(BOT_CONFIG_SCHEMA_VERSION).default(BOT_CONFIG_SCHEMA_VERSION),
  name: z.string().trim().min(1, 'must not be empty').max(100),
  connectionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a connection id'),
  market: botMarketSchema,
  strategy: z.strictObject({ id: z.string().min(1), params: z.record(z.string(), z.unknown()).default({}) }),
  sizing: botSizingSchema.default({ mode: 'fraction', value: 0.9999 }),
  /** Quote currency the bot trades with; null: the paper connection's starting balance. */
  capital: positive.nullable().default(null),
  risk: riskLimitsSchema.default(riskLimitsSchema.parse({})),
  marketRules: marketRulesSchema.default(marketRulesSchema.parse({})),
});

export interface BotConfig {
  readonly schemaVersion: typeof BOT_CONFIG_SCHEMA_VERSION;
  readonly name: string;
  readonly connectionId: string;
  readonly market: { readonly exchange: string; readonly symbol: string; readonly timeframe: (typeof TIMEFRAMES)[number] };
  /** `params` hold the strategy's parsed params, defaults filled in. */
  readonly strategy: { readonly id: string; readonly params: Readonly<Record<string, unknown>> };
  readonly sizing: Sizing;
  readonly capital: number | null;
  readonly risk: RiskLimits;
  readonly marketRules: MarketRules;
}

/** Validates a config, including the strategy's params against its own schema. */
export function parseBotConfig(input: unknown): Result<BotConfig> {
  const parsed = botConfigInputSchema.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return err(invalid(`bot config: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details));
  }
  const strategy = getStrategy(parsed.data.strategy.id);
  if (!strategy.ok) return err(invalid(strategy.error.message, [{ path: 'strategy.id', message: strategy.error.message }]));
  const params: Result<Record<string, unknown>> = parseStrategyParams(strategy.value, parsed.data.strategy.params);
  if (!params.ok) return err(invalid(params.error.message, [{ path: 'strategy.params', message: params.error.message }]));
  return ok({ ...parsed.data, strategy: { id: strategy.value.id, params: params.value } });
}

function invalid(message: string, details: readonly { path: string; message: string }[]): AppError {
  return appError(BOT_INVALID_CONFIG, message, details);
}

/** Dotted paths whose values differ between two configs (leaf level), sorted. */
export function diffConfig(before: BotConfig, after: BotConfig): string[] {
  const changes: string[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (isRecord(a) && isRecord(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[key], b[key], path ? `${path}.${key}` : key);
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) changes.push(path);
  };
  walk(before, after, '');
  return changes.sort();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
