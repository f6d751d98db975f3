/**
 * Offline testing: send one exchange's REST calls to a local mock by rewriting the origins in ccxt's
 * `urls.api` (DESIGN.md findings). Only loopback http URLs are accepted, so a misconfigured setting
 * can never send signed requests and credentials to a third-party host.
 */
import type { ExchangeId } from '../../domain/exchange-catalog.js';
import { isExchangeId } from '../../domain/exchange-catalog.js';

export type ApiOverrides = Partial<Record<ExchangeId, string>>;

const LOOPBACK_ORIGIN = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/;

/** Parses `binance=http://127.0.0.1:4010,okx=http://127.0.0.1:4011`. Throws on anything else. */
export function parseApiOverrides(setting: string | undefined): ApiOverrides {
  const overrides: ApiOverrides = {};
  if (!setting) return overrides;
  for (const pair of setting.split(',')) {
    const [id, origin] = pair.split('=', 2).map((s) => s.trim());
    if (!id || !origin || !isExchangeId(id) || !LOOPBACK_ORIGIN.test(origin)) {
      throw new Error(`exchange API override "${pair}" must be <exchangeId>=http://127.0.0.1:<port>`);
    }
    overrides[id] = origin;
  }
  return overrides;
}

type UrlTree = string | { [key: string]: UrlTree } | UrlTree[] | undefined | null | number | boolean;

/** Rewrites every absolute URL in the tree to `origin`, keeping the path. */
export function rewriteApiOrigins(tree: UrlTree, origin: string): UrlTree {
  if (typeof tree === 'string') return tree.replace(/^https?:\/\/[^/]+/, origin);
  if (Array.isArray(tree)) return tree.map((t) => rewriteApiOrigins(t, origin));
  if (tree && typeof tree === 'object') return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, rewriteApiOrigins(v, origin)]));
  return tree;
}
