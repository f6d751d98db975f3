/**
 * Strategy param forms from the JSON Schema GET /api/strategies answers: which control each param
 * gets, how form text becomes a value, and the checks the schema states (type, bounds, enum) so the
 * form can say what is wrong as the user types. Rules the schema cannot state (e.g. fast < slow) come
 * back from the API as field details and are shown at the same place.
 */
import type { GridValue, ParamJsonSchema, ParamsJsonSchema } from '../../../shared/schemas/backtest-views.js';

export type ParamControl = 'checkbox' | 'select' | 'number' | 'text';

export function controlOf(schema: ParamJsonSchema): ParamControl {
  if (schema.type === 'boolean') return 'checkbox';
  if (schema.enum) return 'select';
  if (schema.type === 'integer' || schema.type === 'number') return 'number';
  return 'text';
}

/** Form text of a value (checkboxes use the boolean directly). */
export const textOf = (value: GridValue | undefined): string => (value === undefined ? '' : String(value));

/** Parses what the user typed for one param; an error message when it breaks the schema. */
export function parseParam(schema: ParamJsonSchema, raw: string | boolean): { value?: GridValue; error?: string } {
  if (schema.type === 'boolean') return { value: raw === true || raw === 'true' };
  const text = String(raw).trim();
  if (schema.enum) return schema.enum.map(String).includes(text) ? { value: schema.enum.find((e) => String(e) === text)! } : { error: `must be one of ${schema.enum.join(', ')}` };
  if (schema.type !== 'integer' && schema.type !== 'number') return text === '' ? { error: 'must not be empty' } : { value: text };
  if (text === '') return { error: 'must not be empty' };
  const n = Number(text);
  if (!Number.isFinite(n) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return { error: 'must be a number' };
  if (schema.type === 'integer' && !Number.isInteger(n)) return { error: 'must be a whole number' };
  if (schema.minimum !== undefined && n < schema.minimum) return { error: `must be at least ${schema.minimum}` };
  if (schema.exclusiveMinimum !== undefined && n <= schema.exclusiveMinimum) return { error: `must be greater than ${schema.exclusiveMinimum}` };
  if (schema.maximum !== undefined && n > schema.maximum) return { error: `must be at most ${schema.maximum}` };
  if (schema.exclusiveMaximum !== undefined && n >= schema.exclusiveMaximum) return { error: `must be less than ${schema.exclusiveMaximum}` };
  return { value: n };
}

export type ParamTexts = Readonly<Record<string, string | boolean>>;

/** Form state from defaults (or a saved config). */
export function initialTexts(schema: ParamsJsonSchema, values: Readonly<Record<string, unknown>>): Record<string, string | boolean> {
  const texts: Record<string, string | boolean> = {};
  for (const [name, prop] of Object.entries(schema.properties)) {
    const v = values[name] ?? prop.default;
    texts[name] = prop.type === 'boolean' ? v === true : textOf(v as GridValue | undefined);
  }
  return texts;
}

/** Params to send (only values that differ from the defaults are needed, but all are sent for clarity) and per-field errors. */
export function collectParams(schema: ParamsJsonSchema, texts: ParamTexts): { params: Record<string, GridValue>; errors: Record<string, string> } {
  const params: Record<string, GridValue> = {};
  const errors: Record<string, string> = {};
  for (const [name, prop] of Object.entries(schema.properties)) {
    const parsed = parseParam(prop, texts[name] ?? '');
    if (parsed.error) errors[name] = parsed.error;
    else if (parsed.value !== undefined) params[name] = parsed.value;
  }
  return { params, errors };
}

/** API field issues (`settings.params.fast`, `params.fast`, `strategy.params.fast`) → errors by param name. */
export function paramErrorsFrom(issues: readonly { path: string; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const m = /(?:^|\.)params\.([A-Za-z_][A-Za-z0-9_]*)/.exec(issue.path);
    if (m && !errors[m[1]!]) errors[m[1]!] = issue.message;
  }
  return errors;
}
