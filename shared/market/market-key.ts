/**
 * Market identity: `{exchange}:{symbol}` keys (`sim:SIM-BTC/USD`, `binance:BTC/USDT`) with ccxt's
 * unified symbols, and the public Web PubSub group each market's ticks go to:
 * `md.{exchange}.{symbol}` with `/` written as `_` (`md.sim.SIM-BTC_USD`), because Web PubSub
 * cannot address group names containing `/` in its REST paths (not even as %2F). ccxt's unified
 * symbols do not use `_`, so the mapping is reversible. The exchange id never contains `:` or `.`,
 * so both forms split unambiguously at the first one.
 */
import { z } from 'zod';
import { appError, err, ok, type Result } from '../core/result.js';

export interface MarketRef {
  readonly exchange: string;
  readonly symbol: string;
}

export type MarketKey = `${string}:${string}`;

const EXCHANGE_ID = /^[a-z][a-z0-9]{0,31}$/;
/** ccxt unified symbols: `BTC/USDT`, `BTC/USDT:USDT`, `SIM-AAPL`, `BRK.B/USD`. */
const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9./:-]{0,63}$/;

export const MARKET_GROUP_PREFIX = 'md.';

export const marketKey = (ref: MarketRef): MarketKey => `${ref.exchange}:${ref.symbol}`;

export const marketGroup = (ref: MarketRef): string => `${MARKET_GROUP_PREFIX}${ref.exchange}.${ref.symbol.replaceAll('/', '_')}`;

/** The market a group name stands for, or undefined when it is not a market group. */
export function marketOfGroup(group: string): MarketRef | undefined {
  if (!group.startsWith(MARKET_GROUP_PREFIX)) return undefined;
  const rest = group.slice(MARKET_GROUP_PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0) return undefined;
  const parsed = parseMarketKey(`${rest.slice(0, dot)}:${rest.slice(dot + 1).replaceAll('_', '/')}`);
  return parsed.ok ? parsed.value : undefined;
}

export function parseMarketKey(key: string): Result<MarketRef> {
  const at = key.indexOf(':');
  const exchange = at > 0 ? key.slice(0, at) : '';
  const symbol = at > 0 ? key.slice(at + 1) : '';
  if (!EXCHANGE_ID.test(exchange) || !SYMBOL.test(symbol)) {
    return err(appError('MARKET.INVALID_KEY', `"${key.slice(0, 100)}" is not a market key: use {exchange}:{symbol}, e.g. sim:SIM-BTC/USD`));
  }
  return ok({ exchange, symbol });
}

export const marketKeySchema = z
  .string()
  .max(100)
  .refine((key) => parseMarketKey(key).ok, { message: 'must be {exchange}:{symbol}, e.g. sim:SIM-BTC/USD' })
  .transform((key) => key as MarketKey);

/** Parses a comma-separated list (env settings); every bad entry is reported. */
export function parseMarketKeyList(list: string): Result<MarketKey[]> {
  const keys: MarketKey[] = [];
  const problems: string[] = [];
  for (const raw of list.split(',')) {
    const key = raw.trim();
    if (key === '') continue;
    const parsed = parseMarketKey(key);
    if (parsed.ok) keys.push(marketKey(parsed.value));
    else problems.push(parsed.error.message);
  }
  if (problems.length > 0) return err(appError('MARKET.INVALID_KEY', problems.join('; '), problems));
  return ok([...new Set(keys)]);
}
