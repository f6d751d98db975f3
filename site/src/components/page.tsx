/** Page frame: the one h1 (focused after navigation), an optional subtitle and actions. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { takeFocusRequest } from '../lib/router.js';

export function Page({ title, subtitle, actions, children }: { title: string; subtitle?: ComponentChildren; actions?: ComponentChildren; children?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · TradingTower`;
  }, [title]);
  // After client-side navigation, focus the new page's heading, as a full page load would reset focus.
  useEffect(() => {
    if (takeFocusRequest()) heading.current?.focus();
  }, []);
  return (
    <>
      <div class="page-head">
        <div>
          <h1 id="page-title" tabIndex={-1} ref={heading}>
            {title}
          </h1>
          {subtitle && <p class="muted subtitle">{subtitle}</p>}
        </div>
        {actions && <div class="actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}

export function Card({ title, children, actions, id }: { title?: string; children?: ComponentChildren; actions?: ComponentChildren; id?: string }) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section class="card" aria-labelledby={headingId}>
      {(title || actions) && (
        <div class="card-head">
          {title && <h2 id={headingId}>{title}</h2>}
          {actions && <div class="actions">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}
