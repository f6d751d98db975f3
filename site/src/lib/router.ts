/**
 * A small history router: links are plain `<a href="/…">` (the app intercepts same-origin clicks),
 * so they work with the keyboard, open in new tabs, and need no router component. SWA rewrites
 * unknown paths to index.html (navigationFallback), so deep links load the app.
 */
import { useEffect, useState } from 'preact/hooks';

export { matchPath } from './route-match.js';

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
