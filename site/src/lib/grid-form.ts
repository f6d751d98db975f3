/** The optimizer's grid as a form: which params vary and over what values (mirrors the API's grid axes). */
import type { GridValue, ParamJsonSchema, ParamsJsonSchema } from '../../../shared/schemas/backtest-views.js';

export interface AxisDraft {
  vary: boolean;
  start: string;
  end: string;
  step: string;
}

export type GridAxisBody = { name: string; start: number; end: number; step: number } | { name: string; values: GridValue[] };

export function initialAxes(schema: ParamsJsonSchema): Record<string, AxisDraft> {
  const axes: Record<string, AxisDraft> = {};
  for (const [name, p] of Object.entries(schema.properties)) {
    const d = typeof p.default === 'number' ? p.default : 0;
    axes[name] = p.type === 'integer' || p.type === 'number' ? { vary: false, start: String(d), end: String(p.type === 'integer' ? d * 2 || 10 : d * 2 || 1), step: p.type === 'integer' ? String(Math.max(1, Math.round(d / 4))) : String(d / 4 || 0.1) } : { vary: false, start: '', end: '', step: '' };
  }
  return axes;
}

/** Values an axis expands to (same rule as the API: inclusive, exact decimals); an error when it cannot. */
export function axisValues(prop: ParamJsonSchema, draft: AxisDraft): { values?: GridValue[]; error?: string } {
  if (prop.type === 'boolean') return { values: [false, true] };
  if (prop.enum) return { values: [...prop.enum] };
  const [start, end, step] = [draft.start, draft.end, draft.step].map((s) => Number(s.trim()));
  if (![start, end, step].every((n) => Number.isFinite(n)) || [draft.start, draft.end, draft.step].some((s) => s.trim() === '')) return { error: 'start, end and step must be numbers' };
  if (!(step! > 0)) return { error: 'step must be positive' };
  if (end! < start!) return { error: 'end must not be below start' };
  const places = (v: string): number => (v.split('.')[1] ?? '').length;
  const decimals = Math.min(12, Math.max(places(draft.start), places(draft.step)));
  const count = Math.floor((end! - start!) / step! + 1e-9) + 1;
  if (count > 10_000) return { error: 'more than 10,000 values' };
  return { values: Array.from({ length: count }, (_, i) => Number((start! + i * step!).toFixed(decimals))) };
}

export function gridBody(schema: ParamsJsonSchema, drafts: Readonly<Record<string, AxisDraft>>): { axes: GridAxisBody[]; combinations: number; errors: Record<string, string> } {
  const axes: GridAxisBody[] = [];
  const errors: Record<string, string> = {};
  let combinations = 1;
  for (const [name, prop] of Object.entries(schema.properties)) {
    const draft = drafts[name];
    if (!draft?.vary) continue;
    const expanded = axisValues(prop, draft);
    if (expanded.error) {
      errors[name] = expanded.error;
      continue;
    }
    combinations *= expanded.values!.length;
    axes.push(prop.type === 'integer' || prop.type === 'number' ? { name, start: Number(draft.start), end: Number(draft.end), step: Number(draft.step) } : { name, values: expanded.values! });
  }
  return { axes, combinations: axes.length === 0 ? 0 : combinations, errors };
}
