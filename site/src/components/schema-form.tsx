/** Strategy params as form fields generated from the params JSON Schema, with inline validation. */
import type { ParamsJsonSchema } from '../../../shared/schemas/backtest-views.js';
import { controlOf, parseParam, type ParamTexts } from '../lib/param-form.js';
import { describedBy, Field, FieldNotes } from './field.js';

export interface SchemaFormProps {
  readonly idPrefix: string;
  readonly schema: ParamsJsonSchema;
  readonly texts: ParamTexts;
  /** Errors from the API (rules the schema cannot state), by param name. */
  readonly serverErrors?: Readonly<Record<string, string>>;
  /** Show schema errors for untouched fields too (after a submit attempt). */
  readonly showAll?: boolean;
  readonly touched: ReadonlySet<string>;
  readonly onChange: (name: string, value: string | boolean) => void;
}

export function SchemaForm({ idPrefix, schema, texts, serverErrors = {}, showAll = false, touched, onChange }: SchemaFormProps) {
  const entries = Object.entries(schema.properties);
  if (entries.length === 0) return <p class="muted">This strategy has no parameters.</p>;
  return (
    <div class="form-grid">
      {entries.map(([name, prop]) => {
        const id = `${idPrefix}-${name}`;
        const control = controlOf(prop);
        const local = touched.has(name) || showAll ? parseParam(prop, texts[name] ?? '').error : undefined;
        const error = local ?? serverErrors[name];
        const hint = [prop.description, prop.default !== undefined ? `default ${String(prop.default)}` : ''].filter(Boolean).join(' · ');
        const aria = describedBy(id, hint, error);
        if (control === 'checkbox') {
          return (
            <div class={`field checkbox${error ? ' invalid' : ''}`} key={name}>
              <input id={id} name={name} type="checkbox" checked={texts[name] === true} onChange={(e) => onChange(name, e.currentTarget.checked)} {...aria} />
              <label for={id}>{prop.title ?? name}</label>
              <FieldNotes id={id} hint={hint} error={error} />
            </div>
          );
        }
        return (
          <Field key={name} id={id} label={prop.title ?? name} hint={hint} error={error}>
            {control === 'select' ? (
              <select id={id} name={name} value={String(texts[name] ?? '')} onChange={(e) => onChange(name, e.currentTarget.value)} {...aria}>
                {(prop.enum ?? []).map((v) => (
                  <option key={String(v)} value={String(v)}>
                    {String(v)}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                name={name}
                type="text"
                inputMode={control === 'number' ? (prop.type === 'integer' ? 'numeric' : 'decimal') : undefined}
                value={String(texts[name] ?? '')}
                onInput={(e) => onChange(name, e.currentTarget.value)}
                {...aria}
              />
            )}
          </Field>
        );
      })}
    </div>
  );
}
