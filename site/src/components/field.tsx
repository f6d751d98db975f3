/** A labelled form control with its hint and inline error, wired for screen readers. */
import type { ComponentChildren } from 'preact';

export function Field({ id, label, hint, error, children }: { id: string; label: ComponentChildren; hint?: ComponentChildren; error?: string; children: ComponentChildren }) {
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** A control's hint and inline error, with the ids `describedBy` points at. */
export function FieldNotes({ id, hint, error }: { id: string; hint?: ComponentChildren; error?: string | undefined }) {
  return (
    <>
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} class="field-error" role="alert">
          {error}
        </small>
      )}
    </>
  );
}

/** aria attributes for the control inside a Field. */
export const describedBy = (id: string, hint: unknown, error: string | undefined) => ({
  'aria-invalid': error ? ('true' as const) : undefined,
  'aria-describedby': [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined,
});
