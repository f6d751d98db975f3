/**
 * Webhook payloads → one normalized signal. Three shapes reach the same schema:
 *
 * - JSON (recommended): `action`, `symbol`/`ticker`, one of `quantity`/`size_pct`/`notional`,
 *   `order_type`, `price`, `stop_loss`, `take_profit`, `id`, `timestamp`, `max_lag`, `comment`,
 *   `secret`, `market_position`, plus TradingView's informational fields;
 * - 3Commas-style bodies: `tv_exchange` + `tv_instrument`, `trigger_price`, `enter_long` …, and an
 *   `order: { amount, currency_type, order_type, price }` object;
 * - plain text `ACTION [SYMBOL] [QUANTITY|PCT%] [key=value …]`, as people type alert messages.
 *
 * Field errors come back as `{ path, message }` (never echoing values).
 */
import { z } from 'zod';
import { appError, err, ok, type AppError, type Result } from '../core/result.js';
import type { SignalAction, SignalOrder } from '../bots/signal-order.js';
import { SIGNAL_ACTIONS } from '../bots/signal-order.js';
import type { Sizing } from '../trading/strategies/strategy.js';
import {
  alertTime,
  commentText,
  idempotencyKeyText,
  infoScalar,
  keyword,
  lagSeconds,
  percent,
  positiveNumber,
  secretText,
  tickerText,
} from './signal-fields.js';

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export type SignalFormat = 'json' | 'text' | '3commas';

export interface ParsedSignal {
  readonly format: SignalFormat;
  readonly order: SignalOrder;
  /** The ticker as sent (exchange prefix kept), null when the alert named none. */
  readonly ticker: string | null;
  /** The alert's `id`; null: the body is the idempotency key. */
  readonly idempotencyKey: string | null;
  readonly timestampMs: number | null;
  readonly maxLagSeconds: number | null;
}

const ACTION_ALIASES: Readonly<Record<string, SignalAction>> = {
  enter_long: 'long',
  enter_short: 'short',
  open_long: 'long',
  open_short: 'short',
  close_long: 'exit_long',
  close_short: 'exit_short',
  exitlong: 'exit_long',
  exitshort: 'exit_short',
  close_all: 'close',
  close_position: 'close',
  close_at_market_price: 'close',
};

const INFO_FIELDS = [
  'exchange', 'interval', 'time', 'open', 'high', 'low', 'close', 'volume', 'strategy', 'position_size',
  'market_position_size', 'prev_market_position', 'prev_market_position_size', 'order_id', 'order_comment',
  'order_alert_message', 'bot_uuid', 'message_type', 'bot_id',
] as const;

const infoShape = Object.fromEntries(INFO_FIELDS.map((name) => [name, infoScalar.optional()])) as Record<(typeof INFO_FIELDS)[number], z.ZodOptional<typeof infoScalar>>;

const threeCommasOrder = z.strictObject({
  amount: positiveNumber,
  currency_type: keyword(['quote', 'base', 'margin_percent'] as const, { percent: 'margin_percent', position_percent: 'margin_percent' }, 'currency type').optional(),
  order_type: keyword(['market', 'limit'] as const, {}, 'order type').optional(),
  price: positiveNumber.optional(),
});

const payloadSchema = z.strictObject({
  action: keyword(SIGNAL_ACTIONS, ACTION_ALIASES, 'action'),
  symbol: tickerText.optional(),
  ticker: tickerText.optional(),
  tv_exchange: z.string().trim().max(32).regex(/^[A-Za-z0-9_.-]*$/, 'must be an exchange name').optional(),
  tv_instrument: tickerText.optional(),
  quantity: positiveNumber.optional(),
  size_pct: percent.optional(),
  notional: positiveNumber.optional(),
  order: threeCommasOrder.optional(),
  order_type: keyword(['market', 'limit'] as const, {}, 'order type').optional(),
  price: positiveNumber.optional(),
  trigger_price: positiveNumber.optional(),
  stop_loss: positiveNumber.optional(),
  take_profit: positiveNumber.optional(),
  market_position: keyword(['long', 'short', 'flat'] as const, {}, 'market position').optional(),
  id: idempotencyKeyText.optional(),
  timestamp: alertTime.optional(),
  max_lag: lagSeconds.optional(),
  comment: commentText.optional(),
  secret: secretText.optional(),
  meta: z.record(z.string().max(64), infoScalar).refine((m) => Object.keys(m).length <= 20, 'must have at most 20 fields').optional(),
  ...infoShape,
});

type Payload = z.infer<typeof payloadSchema>;

export const SIGNAL_INVALID = 'VALIDATION.FAILED';

function invalid(details: readonly FieldError[]): AppError {
  const first = details.slice(0, 3).map((d) => `${d.path}: ${d.message}`);
  return appError(SIGNAL_INVALID, `The signal is invalid: ${first.join('; ')}${details.length > 3 ? ` (and ${details.length - 3} more)` : ''}.`, details);
}

function fieldErrors(error: z.ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.').slice(0, 100) || '(body)';
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) out.push({ path: [path === '(body)' ? '' : path, key.slice(0, 64)].filter(Boolean).join('.'), message: 'is not a known field' });
    else out.push({ path, message: issue.message });
  }
  return out.slice(0, 50);
}

/** Validates a decoded JSON value (or the object built from plain text) and normalizes it. */
export function parseSignalObject(value: unknown, format: 'json' | 'text'): Result<ParsedSignal> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return err(invalid([{ path: '(body)', message: 'must be a JSON object (or plain text: ACTION SYMBOL [QUANTITY])' }]));
  }
  const parsed = payloadSchema.safeParse(value);
  if (!parsed.success) return err(invalid(fieldErrors(parsed.error)));
  return normalize(parsed.data, format);
}

function normalize(p: Payload, format: 'json' | 'text'): Result<ParsedSignal> {
  const problems: FieldError[] = [];
  const is3Commas = p.tv_instrument !== undefined || p.order !== undefined || p.trigger_price !== undefined;

  const tickers = [p.symbol, p.ticker, p.tv_instrument].filter((t): t is string => t !== undefined);
  if (new Set(tickers.map((t) => t.toUpperCase())).size > 1) problems.push({ path: 'ticker', message: 'symbol, ticker and tv_instrument name different markets' });
  let ticker = tickers[0] ?? null;
  if (ticker !== null && p.tv_instrument !== undefined && p.tv_exchange && !ticker.includes(':')) ticker = `${p.tv_exchange}:${ticker}`;

  const sizes: [string, Sizing][] = [];
  if (p.quantity !== undefined) sizes.push(['quantity', { mode: 'quantity', value: p.quantity }]);
  if (p.size_pct !== undefined) sizes.push(['size_pct', { mode: 'fraction', value: p.size_pct / 100 }]);
  if (p.notional !== undefined) sizes.push(['notional', { mode: 'notional', value: p.notional }]);
  if (p.order !== undefined) {
    const type = p.order.currency_type ?? 'base';
    if (type === 'margin_percent' && p.order.amount > 100) problems.push({ path: 'order.amount', message: 'must be a percentage above 0 and at most 100' });
    sizes.push([
      'order.amount',
      type === 'quote' ? { mode: 'notional', value: p.order.amount } : type === 'base' ? { mode: 'quantity', value: p.order.amount } : { mode: 'fraction', value: Math.min(1, p.order.amount / 100) },
    ]);
  }
  if (sizes.length > 1) problems.push({ path: sizes[1]![0], message: `give only one of quantity, size_pct, notional (also set: ${sizes[0]![0]})` });

  const orderType = p.order_type ?? p.order?.order_type ?? 'market';
  if (p.order_type !== undefined && p.order?.order_type !== undefined && p.order_type !== p.order.order_type) {
    problems.push({ path: 'order.order_type', message: 'differs from order_type' });
  }
  const price = p.price ?? p.order?.price ?? p.trigger_price ?? null;
  if (orderType === 'limit' && price === null) problems.push({ path: 'price', message: 'is required for a limit order' });
  if (p.max_lag !== undefined && p.timestamp === undefined) problems.push({ path: 'max_lag', message: 'needs a timestamp to measure the lag from' });
  if (p.stop_loss !== undefined && p.take_profit !== undefined && p.stop_loss === p.take_profit) {
    problems.push({ path: 'take_profit', message: 'must differ from stop_loss' });
  }
  const sizeless = p.action === 'pause' || p.action === 'resume' || p.action === 'close' || p.action === 'flat';
  if (sizeless && sizes.length > 0) problems.push({ path: sizes[0]![0], message: `is not used by ${p.action}: it acts on the whole position` });
  if (sizeless && (p.stop_loss !== undefined || p.take_profit !== undefined || p.order_type === 'limit')) {
    problems.push({ path: 'action', message: `${p.action} takes no order type, stop_loss or take_profit` });
  }
  if (problems.length > 0) return err(invalid(problems));

  const order: SignalOrder = {
    action: p.action,
    size: sizes[0]?.[1] ?? null,
    orderType,
    price,
    stopLoss: p.stop_loss ?? null,
    takeProfit: p.take_profit ?? null,
    marketPosition: (p.market_position ?? null),
    comment: p.comment ?? null,
  };
  return ok({
    format: is3Commas ? '3commas' : format,
    order,
    ticker,
    idempotencyKey: p.id ?? null,
    timestampMs: p.timestamp ?? null,
    maxLagSeconds: p.max_lag ?? null,
  });
}

const PLAIN_KEYS: Readonly<Record<string, string>> = {
  secret: 'secret', id: 'id', price: 'price', type: 'order_type', order_type: 'order_type', sl: 'stop_loss', stop_loss: 'stop_loss',
  tp: 'take_profit', take_profit: 'take_profit', timestamp: 'timestamp', time: 'timestamp', max_lag: 'max_lag', size_pct: 'size_pct',
  notional: 'notional', quantity: 'quantity', qty: 'quantity', position: 'market_position', market_position: 'market_position',
};
const MAX_PLAIN_TOKENS = 16;
const QUANTITY_TOKEN = /^(?:\d+(?:\.\d*)?|\.\d+)%?$/;

/**
 * `ACTION [SYMBOL] [QUANTITY|PCT%] [key=value …]` → the object the JSON schema validates, so plain
 * text gets the same rules and messages. `buy BTCUSDT 0.5`, `sell BINANCE:ETHUSDT 25%`,
 * `close BTCUSDT secret=…`, `pause`.
 */
export function plainTextToObject(text: string): Result<Record<string, string>> {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return err(invalid([{ path: '(body)', message: 'is empty' }]));
  if (tokens.length > MAX_PLAIN_TOKENS) return err(invalid([{ path: '(body)', message: `plain text takes at most ${MAX_PLAIN_TOKENS} words: ACTION SYMBOL [QUANTITY] [key=value …]` }]));
  const [action, ...rest] = tokens as [string, ...string[]];
  const out: Record<string, string> = { action };
  const problems: FieldError[] = [];
  let positional = 0;
  for (const token of rest) {
    const eq = token.indexOf('=');
    if (eq > 0) {
      const key = token.slice(0, eq).toLowerCase();
      const field = PLAIN_KEYS[key];
      if (field === undefined) problems.push({ path: key.slice(0, 32), message: 'is not a known field' });
      else if (field in out) problems.push({ path: field, message: 'is given twice' });
      else out[field] = token.slice(eq + 1);
      continue;
    }
    positional++;
    if (positional === 1 && !QUANTITY_TOKEN.test(token)) out.symbol = token;
    else if (positional <= 2 && QUANTITY_TOKEN.test(token) && out.quantity === undefined && out.size_pct === undefined) {
      if (token.endsWith('%')) out.size_pct = token.slice(0, -1);
      else out.quantity = token;
    } else problems.push({ path: '(body)', message: 'plain text is ACTION [SYMBOL] [QUANTITY|PCT%] followed by key=value options' });
  }
  if (problems.length > 0) return err(invalid(problems));
  return ok(out);
}

export function parsePlainTextSignal(text: string): Result<ParsedSignal> {
  const object = plainTextToObject(text);
  if (!object.ok) return object;
  return parseSignalObject(object.value, 'text');
}
