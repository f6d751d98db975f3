/**
 * Does an alert's ticker name the bot's market? TradingView writes `BINANCE:BTCUSDT` (exchange
 * prefix), `BTCUSDT` or `BTC/USDT`; bots hold ccxt symbols (`BTC/USDT`, `BTC/USDT:USDT` for swaps)
 * or plain ones (`GOOG`, `SIM-BTC/USD`). Both sides are reduced to upper-case letters and digits
 * without the exchange prefix, the settlement suffix and the separators `/ - _`, then compared. A
 * suffix such as TradingView's `.P` (perpetual) is kept, so a perpetual alert does not trade spot.
 */
import { appError, err, ok, type Result } from '../core/result.js';

export const MARKET_MISMATCH = 'SIGNAL.MARKET_MISMATCH' as const;

export interface TickerParts {
  /** `BINANCE` of `BINANCE:BTCUSDT`; null without a prefix. */
  readonly exchange: string | null;
  readonly compact: string;
}

export function tickerParts(ticker: string): TickerParts {
  const text = ticker.trim();
  const colon = text.indexOf(':');
  // `X:Y` is an exchange prefix unless the part before the colon is itself a pair (ccxt `BTC/USDT:USDT`).
  const prefixed = colon > 0 && !text.slice(0, colon).includes('/');
  const exchange = prefixed ? text.slice(0, colon).toUpperCase() : null;
  let symbol = prefixed ? text.slice(colon + 1) : text;
  const settle = symbol.indexOf(':');
  if (settle >= 0) symbol = symbol.slice(0, settle);
  return { exchange, compact: symbol.toUpperCase().replace(/[/_\-\s]/g, '') };
}

/** ok when the alert named no ticker (the bot's market is implied) or names the bot's market. */
export function matchTicker(ticker: string | null, botSymbol: string): Result<void> {
  if (ticker === null) return ok(undefined);
  const signal = tickerParts(ticker);
  const bot = tickerParts(botSymbol);
  if (signal.compact !== '' && signal.compact === bot.compact) return ok(undefined);
  const message = `ticker ${ticker} does not match this bot's market ${botSymbol} (compared as ${signal.compact || '(empty)'} and ${bot.compact})`;
  return err(appError(MARKET_MISMATCH, `The signal is for another market: ${message}.`, [{ path: 'ticker', message }]));
}
