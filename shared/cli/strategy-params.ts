/** Strategy lookup and param validation for the CLIs, on top of the strategy registry. */
import { z } from 'zod';
import type { AnyStrategy } from '../trading/strategies/strategy.js';

/** Param names of a strategy whose schema is a zod object (possibly refined); undefined otherwise. */
export function strategyParamNames(strategy: AnyStrategy): string[] | undefined {
  const schema: unknown = strategy.paramsSchema;
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
}

/** `fast=10 slow=30 allowShort=true`: params as people type them. */
export function formatParams(params: Readonly<Record<string, unknown>>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${formatParamValue(value)}`)
    .join(' ');
}

export function formatParamValue(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? 'undefined';
}
