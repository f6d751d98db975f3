/**
 * Code-split pages: each page module loads when first visited (Vite makes one chunk per page), so
 * the initial bundle holds only the shell. A failed chunk load shows an error with a retry.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading } from './components/states.js';

export type PageModule<P> = { default: ComponentType<P> };

const cache = new Map<() => Promise<unknown>, ComponentType<never>>();

export function LazyPage<P extends object>({ load, props }: { load: () => Promise<PageModule<P>>; props: P }) {
  const [Component, setComponent] = useState<ComponentType<P> | undefined>(() => cache.get(load) as ComponentType<P> | undefined);
  const [failed, setFailed] = useState<string | undefined>();
  useEffect(() => {
    if (cache.has(load)) {
      setComponent(() => cache.get(load) as ComponentType<P>);
      return;
    }
    let live = true;
    setComponent(undefined);
    load().then(
      (m) => {
        cache.set(load, m.default as ComponentType<never>);
        if (live) setComponent(() => m.default);
      },
      (e: unknown) => live && setFailed(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [load]);
  if (failed)
    return (
      <div class="state error" role="alert">
        <p>This page could not be loaded ({failed}).</p>
        <button type="button" onClick={() => location.reload()}>
          Reload
        </button>
      </div>
    );
  return Component ? <Component {...props} /> : <Loading label="Loading page…" />;
}
