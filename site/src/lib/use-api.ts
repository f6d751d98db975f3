/** Data loading for pages: loading, error and data states, reload, and optional polling. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, asFailure, type ApiFailure } from './api.js';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: ApiFailure | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * GETs `path` (null: nothing to load). With `pollMs`, reloads while `keepPolling(data)` holds,
 * e.g. until a backtest has finished.
 */
export function useApi<T>(path: string | null, options: { pollMs?: number; keepPolling?: (data: T) => boolean } = {}): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiFailure; loading: boolean }>({ loading: path !== null });
  const [tick, setTick] = useState(0);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = (first: boolean): void => {
      if (first) setState((s) => ({ ...s, loading: true }));
      api.get<T>(path, controller.signal).then(
        (data) => {
          setState({ data, loading: false });
          const { pollMs, keepPolling } = optionsRef.current;
          if (pollMs && keepPolling?.(data)) timer = setTimeout(() => load(false), pollMs);
        },
        (e: unknown) => {
          if (controller.signal.aborted) return;
          setState((s) => ({ data: s.data, error: asFailure(e), loading: false }));
        },
      );
    };
    load(true);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [path, tick]);

  return { data: state.data, error: state.error, loading: state.loading, reload };
}
