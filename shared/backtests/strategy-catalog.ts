/**
 * GET /api/strategies: each built-in strategy with the JSON Schema of its params, generated from its
 * zod schema (the one that validates them everywhere), titled and described from the param table of
 * the strategy's own description, so the site can generate a form with hints.
 */
import { z } from 'zod';
import type { ParamJsonSchema, ParamsJsonSchema, StrategyView } from '../schemas/backtest-views.js';
import { STRATEGIES } from '../trading/strategies/registry.js';
import type { AnyStrategy } from '../trading/strategies/strategy.js';

/** `| \`fast\` | 10 | fast SMA period (bars) |` → fast: "fast SMA period (bars)". */
export function paramMeanings(description: string): Map<string, string> {
  const meanings = new Map<string, string>();
  for (const line of description.split('\n')) {
    const m = /^\|\s*`([A-Za-z_][A-Za-z0-9_]*)`\s*\|[^|]*\|\s*(.+?)\s*\|\s*$/.exec(line);
    if (m) meanings.set(m[1]!, m[2]!.replace(/`/g, ''));
  }
  return meanings;
}

/** `allowShort` → "Allow short", `stdDevs` → "Std devs". */
export const titleOf = (name: string): string => {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const SAFE_MAX = Number.MAX_SAFE_INTEGER;

export function strategyView(strategy: AnyStrategy): StrategyView {
  const generated = z.toJSONSchema(strategy.paramsSchema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Record<string, unknown>> };
  const meanings = paramMeanings(strategy.description);
  const properties: Record<string, ParamJsonSchema> = {};
  for (const [name, raw] of Object.entries(generated.properties ?? {})) {
    // zod writes "no upper bound" for integers as MAX_SAFE_INTEGER; a form is clearer without it.
    const { maximum, ...rest } = raw as ParamJsonSchema & Record<string, unknown>;
    properties[name] = {
      ...rest,
      ...(maximum !== undefined && maximum < SAFE_MAX ? { maximum } : {}),
      title: titleOf(name),
      ...(meanings.has(name) ? { description: meanings.get(name)! } : {}),
    };
  }
  const paramsSchema: ParamsJsonSchema = { type: 'object', properties, additionalProperties: false };
  const defaults = (strategy.paramsSchema as z.ZodType<Record<string, unknown>>).parse({});
  return { id: strategy.id, name: strategy.name, description: strategy.description, paramsSchema, defaults, warmupBars: strategy.warmup(defaults) };
}

let catalog: StrategyView[] | undefined;

export function strategyCatalog(): readonly StrategyView[] {
  catalog ??= STRATEGIES.map(strategyView);
  return catalog;
}
