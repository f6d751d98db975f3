/**
 * Ready-to-paste TradingView alert messages for a hook, shown with the credentials when a hook is
 * enabled or rotated. The strategy template uses TradingView's strategy placeholders; each alert gets
 * a unique `id` (order id + fire time) so repeated alerts are not taken for duplicates, and a
 * `timestamp` + `max_lag` so a delayed delivery is refused rather than traded late.
 */
export interface AlertTemplates {
  /** For `strategy.*` alerts ("Alert() function calls only" / order fills). */
  readonly strategy: string;
  /** For indicator alerts: one fixed action per alert. */
  readonly indicator: string;
  /** Plain text, when JSON is not wanted. */
  readonly plainText: string;
}

export const DEFAULT_TEMPLATE_MAX_LAG_SECONDS = 120;

export function alertTemplates(passphrase: string, symbol: string): AlertTemplates {
  const strategy = {
    secret: passphrase,
    action: '{{strategy.order.action}}',
    ticker: '{{ticker}}',
    quantity: '{{strategy.order.contracts}}',
    market_position: '{{strategy.market_position}}',
    price: '{{close}}',
    id: '{{strategy.order.id}}-{{timenow}}',
    timestamp: '{{timenow}}',
    max_lag: String(DEFAULT_TEMPLATE_MAX_LAG_SECONDS),
    comment: '{{strategy.order.comment}}',
  };
  const indicator = {
    secret: passphrase,
    action: 'buy',
    ticker: '{{ticker}}',
    id: '{{ticker}}-{{timenow}}',
    timestamp: '{{timenow}}',
    max_lag: String(DEFAULT_TEMPLATE_MAX_LAG_SECONDS),
  };
  const plainSymbol = symbol.replace(/[^A-Za-z0-9:._/!-]/g, '');
  return {
    strategy: JSON.stringify(strategy, null, 2),
    indicator: JSON.stringify(indicator, null, 2),
    plainText: `buy ${plainSymbol || '{{ticker}}'} secret=${passphrase} id={{ticker}}-{{timenow}}`,
  };
}
