/** Copies a value to the clipboard and says so (politely, for screen readers). */
import { useState } from 'preact/hooks';

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | undefined>();
  const copy = (): void => {
    navigator.clipboard.writeText(value).then(
      () => setCopied('yes'),
      () => setCopied('no'),
    );
    setTimeout(() => setCopied(undefined), 2000);
  };
  return (
    <button type="button" class="small" onClick={copy} aria-label={label}>
      {copied === 'yes' ? 'Copied' : copied === 'no' ? 'Copy failed' : 'Copy'}
      <span class="visually-hidden" aria-live="polite">
        {copied === 'yes' ? `${label}: copied` : ''}
      </span>
    </button>
  );
}
