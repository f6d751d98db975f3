/** The three states every data view has besides its data: loading, error (with the API's code), empty. */
import type { ComponentChildren } from 'preact';
import { isMissingApi, type ApiFailure, type Page as ApiPage } from '../lib/api.js';
import type { Loaded } from '../lib/use-api.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="state loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function ErrorState({ error, retry, title = 'Something went wrong' }: { error: ApiFailure; retry?: () => void; title?: string }) {
  return (
    <div class="state error" role="alert">
      <p>
        <strong>{title}.</strong> {error.info.message}
      </p>
      <p class="muted">
        Code <code data-testid="error-code">{error.code}</code>
        {error.status > 0 ? ` (HTTP ${error.status})` : ''}
      </p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state empty">
      <p>
        <strong>{title}</strong>
      </p>
      {children}
    </div>
  );
}

/** A page whose API is not deployed yet: says so plainly instead of showing anything made up. */
export function Unavailable({ feature, route }: { feature: string; route: string }) {
  return (
    <EmptyState title={`${feature} are not available yet`}>
      <p class="muted">
        This deployment does not serve <code>{route}</code> yet, so there is nothing to show. The page fills in as soon as the API is deployed.
      </p>
    </EmptyState>
  );
}

/**
 * A paged list in its states, in this order: loading, API not deployed (when `unavailable` names the
 * feature), failed, empty, or its rows.
 */
export function ListStates<T>(props: {
  list: Loaded<ApiPage<T>>;
  errorTitle: string;
  empty: ComponentChildren;
  unavailable?: { feature: string; route: string };
  children: (rows: readonly T[]) => ComponentChildren;
}) {
  const { list } = props;
  if (list.loading && !list.data) return <Loading />;
  if (props.unavailable && isMissingApi(list.error)) return <Unavailable {...props.unavailable} />;
  if (list.error) return <ErrorState error={list.error} retry={list.reload} title={props.errorTitle} />;
  if (!list.data || list.data.items.length === 0) return <>{props.empty}</>;
  return <>{props.children(list.data.items)}</>;
}
