/**
 * A small history router: links are plain `<a href="/…">` (the app intercepts same-origin clicks),
 * so they work with the keyboard, open in new tabs, and need no router component. SWA rewrites
 * unknown paths to index.html (navigationFallback), so deep links load the app.
 */
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();
/** Set by navigation, taken by the next page heading that mounts (pages load lazily, so later). */
let focusRequested = false;
const notify = (): void => {
  focusRequested = true;
  listeners.forEach((l) => l());
};

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

/** True once after a client-side navigation: the new page should move focus to its heading. */
export function takeFocusRequest(): boolean {
  const requested = focusRequested;
  focusRequested = false;
  return requested;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
}

export interface Location {
  readonly path: string;
  readonly query: URLSearchParams;
}

export function useLocation(): Location {
  const [, force] = useState(0);
  useEffect(() => {
    const l = (): void => force((n) => n + 1);
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

/** `/backtests/:id` against `/backtests/abc` → { id: 'abc' }; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const h = have[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(h);
    else if (w !== h) return null;
  }
  return params;
}

/** Routes the browser must load itself (auth, API), not the app. */
const SERVER_PATHS = /^\/(\.auth|api)(\/|$)/;

export function interceptLinks(root: HTMLElement): () => void {
  const onClick = (e: MouseEvent): void => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || SERVER_PATHS.test(url.pathname)) return;
    e.preventDefault();
    if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search + url.hash);
  };
  root.addEventListener('click', onClick);
  return () => root.removeEventListener('click', onClick);
}
