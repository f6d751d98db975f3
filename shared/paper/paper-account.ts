/**
 * A paper exchange account (one per paper connection): the books of the bots that trade through it,
 * and for each market a queue of closed bars with a barrier.
 *
 * Why the barrier: entity signals are one-way. A bot's orders for bar k (decided at k's close) must
 * reach its book before bar k+1 is matched, or paper fills would differ from the backtester's. So
 * the account hands bar k to every attached bot of the market and processes bar k+1 only after each
 * of them answered `barDone` for k (with its orders, possibly none). Bars that arrive meanwhile wait
 * in the queue. A bot that never answers (lost signal) is re-sent its delivery by `resendStale`.
 *
 * Every function is pure: (state, input) → { state, outbox }. The entity persists the state and sends
 * the outbox as signals.
 */
import type { Bar } from '../trading/types.js';
import type { BookSettings, PaperBookState, PaperExecution } from './paper-book.js';
import { bookFlatten, bookOnBar, bookPlaceOrders, bookView, newBook } from './paper-book.js';
import type { AccountUpdate, BarDelivery, MarketKey, PaperOrderRequest } from '../bots/execution-messages.js';

export interface StampedBar extends Bar {
  readonly receivedAtMs: number;
}

export interface MarketQueue {
  readonly queue: readonly StampedBar[];
  /** Newest bar accepted into the queue; older or equal bars are ignored (idempotent re-posts). */
  readonly lastQueuedTimeMs: number | null;
  readonly inFlight: InFlightBar | null;
}

/** The bar handed to the market's bots, and each waiting bot's delivery (kept to re-send it). */
export interface InFlightBar {
  readonly barTimeMs: number;
  readonly waiting: readonly string[];
  readonly sentAtMs: number;
  readonly deliveries: Readonly<Record<string, BarDelivery>>;
}

export interface PaperAccountState {
  readonly v: 1;
  readonly tenantId: string;
  readonly connectionId: string;
  readonly currency: string;
  readonly startingBalance: number;
  readonly execution: PaperExecution;
  readonly books: Readonly<Record<string, PaperBookState>>;
  readonly markets: Readonly<Record<MarketKey, MarketQueue>>;
}

export type AccountSignal =
  | { readonly op: 'bar'; readonly botId: string; readonly input: BarDelivery }
  | { readonly op: 'accountUpdate'; readonly botId: string; readonly input: AccountUpdate };

export interface AccountStep {
  readonly state: PaperAccountState;
  readonly outbox: readonly AccountSignal[];
  /** For logs and tests: what was ignored and why. */
  readonly notes: readonly string[];
}

export const DEFAULT_PAPER_EXECUTION: PaperExecution = { feeRate: 0, fixedFee: 0, slippageBps: 0, maxVolumeShare: null };

export function newPaperAccount(input: {
  tenantId: string;
  connectionId: string;
  currency: string;
  startingBalance: number;
  execution: PaperExecution;
}): PaperAccountState {
  return { v: 1, ...input, books: {}, markets: {} };
}

const emptyQueue: MarketQueue = { queue: [], lastQueuedTimeMs: null, inFlight: null };

/** Attaches (or re-attaches, keeping its position) a bot's book to a market. */
export function attachBot(state: PaperAccountState, botId: string, settings: BookSettings): AccountStep {
  const existing = state.books[botId];
  const book: PaperBookState = existing
    ? { ...existing, settings: { ...settings, capital: existing.settings.capital }, attached: true }
    : newBook(botId, settings, state.execution);
  const markets = state.markets[settings.market] ? state.markets : { ...state.markets, [settings.market]: emptyQueue };
  return { state: { ...state, books: { ...state.books, [botId]: book }, markets }, outbox: [], notes: [] };
}

/** Stops deliveries to a bot; its book (and any position it kept) stays for a later start. */
export function detachBot(state: PaperAccountState, botId: string, nowMs: number): AccountStep {
  const book = state.books[botId];
  if (!book?.attached) return { state, outbox: [], notes: [`detach: ${botId} is not attached`] };
  let next: PaperAccountState = { ...state, books: { ...state.books, [botId]: { ...book, attached: false } } };
  const market = next.markets[book.settings.market];
  if (market?.inFlight?.waiting.includes(botId)) {
    next = withMarket(next, book.settings.market, { ...market, inFlight: release(market.inFlight, botId) });
  }
  return pump(next, book.settings.market, nowMs, [], []);
}

/** Queues closed bars (oldest first) and processes what the barrier allows. */
export function receiveBars(state: PaperAccountState, market: MarketKey, bars: readonly Bar[], receivedAtMs: number, nowMs: number): AccountStep {
  const current = state.markets[market] ?? emptyQueue;
  let last = current.lastQueuedTimeMs;
  const added: StampedBar[] = [];
  for (const bar of [...bars].sort((a, b) => a.timeMs - b.timeMs)) {
    if (last !== null && bar.timeMs <= last) continue;
    added.push({ ...bar, receivedAtMs });
    last = bar.timeMs;
  }
  const notes = added.length < bars.length ? [`${bars.length - added.length} bar(s) at or before ${current.lastQueuedTimeMs} ignored`] : [];
  const next = withMarket(state, market, { ...current, queue: [...current.queue, ...added], lastQueuedTimeMs: last });
  return pump(next, market, nowMs, [], notes);
}

/**
 * A bot finished bar `barTimeMs`: place its orders (duplicates by sequence number are ignored) and,
 * when every bot of the market has answered, process the next queued bar.
 */
export function barDone(state: PaperAccountState, botId: string, barTimeMs: number, orders: readonly PaperOrderRequest[], nowMs: number): AccountStep {
  const book = state.books[botId];
  if (!book) return { state, outbox: [], notes: [`barDone from unknown bot ${botId}`] };
  const placed = bookPlaceOrders(book, orders, barTimeMs);
  const notes = placed.duplicates.length > 0 ? [`duplicate order(s) ignored: ${placed.duplicates.join(', ')}`] : [];
  let next: PaperAccountState = { ...state, books: { ...state.books, [botId]: placed.book } };
  const marketKey = book.settings.market;
  const market = next.markets[marketKey];
  if (market?.inFlight && market.inFlight.barTimeMs === barTimeMs && market.inFlight.waiting.includes(botId)) {
    next = withMarket(next, marketKey, { ...market, inFlight: release(market.inFlight, botId) });
  }
  return pump(next, marketKey, nowMs, [], notes);
}

/** Orders outside the bar cycle (pause cancels, stop exits): placed now, updates sent at once. */
export function placeOrders(state: PaperAccountState, botId: string, orders: readonly PaperOrderRequest[], nowMs: number): AccountStep {
  const book = state.books[botId];
  if (!book) return { state, outbox: [], notes: [`orders from unknown bot ${botId}`] };
  const placed = bookPlaceOrders(book, orders, nowMs);
  if (placed.updates.length === 0) return { state, outbox: [], notes: placed.duplicates.map((id) => `duplicate order ignored: ${id}`) };
  const settled: PaperBookState = { ...placed.book, unsentUpdates: book.unsentUpdates };
  const update: AccountUpdate = { botId, fills: [], orderUpdates: placed.updates, view: bookView(settled) };
  return { state: { ...state, books: { ...state.books, [botId]: settled } }, outbox: [{ op: 'accountUpdate', botId, input: update }], notes: [] };
}

/** Kill switch for one bot: cancel all and flatten now at the last price. */
export function flattenBot(state: PaperAccountState, botId: string, request: { clientOrderId: string; seq: number }, nowMs: number): AccountStep {
  const book = state.books[botId];
  if (!book) return { state, outbox: [], notes: [`flatten for unknown bot ${botId}`] };
  const result = bookFlatten(book, request, nowMs);
  if (!result) return { state, outbox: [], notes: [`duplicate flatten ignored: ${request.clientOrderId}`] };
  const update: AccountUpdate = { botId, fills: result.fills, orderUpdates: result.orderUpdates, view: result.view };
  return { state: { ...state, books: { ...state.books, [botId]: result.book } }, outbox: [{ op: 'accountUpdate', botId, input: update }], notes: [] };
}

/** Re-sends the in-flight bar to bots that have not answered for `staleAfterMs` (a lost signal). */
export function resendStale(state: PaperAccountState, nowMs: number, staleAfterMs: number): AccountStep {
  const outbox: AccountSignal[] = [];
  let next = state;
  for (const [key, market] of Object.entries(state.markets)) {
    const inFlight = market.inFlight;
    if (!inFlight || nowMs - inFlight.sentAtMs < staleAfterMs) continue;
    for (const botId of inFlight.waiting) {
      const delivery = inFlight.deliveries[botId];
      // A bot that did process it ignores the bar but answers again with the same orders.
      if (delivery) outbox.push({ op: 'bar', botId, input: delivery });
    }
    next = withMarket(next, key, { ...market, inFlight: { ...inFlight, sentAtMs: nowMs } });
  }
  return { state: next, outbox, notes: [] };
}

function release(inFlight: InFlightBar, botId: string): InFlightBar | null {
  const waiting = inFlight.waiting.filter((id) => id !== botId);
  if (waiting.length === 0) return null;
  const deliveries = { ...inFlight.deliveries };
  delete deliveries[botId];
  return { ...inFlight, waiting, deliveries };
}

function withMarket(state: PaperAccountState, key: MarketKey, market: MarketQueue): PaperAccountState {
  return { ...state, markets: { ...state.markets, [key]: market } };
}

/** Processes queued bars while no bar is in flight. */
function pump(state: PaperAccountState, key: MarketKey, nowMs: number, outbox: AccountSignal[], notes: readonly string[]): AccountStep {
  let next = state;
  let market = next.markets[key];
  while (market && market.inFlight === null && market.queue.length > 0) {
    const [bar, ...rest] = market.queue as [StampedBar, ...StampedBar[]];
    const books = { ...next.books };
    const waiting: string[] = [];
    const deliveries: Record<string, BarDelivery> = {};
    for (const book of Object.values(next.books)) {
      if (!book.attached || book.settings.market !== key) continue;
      const result = bookOnBar(book, bar);
      if (!result) continue;
      books[book.botId] = result.book;
      waiting.push(book.botId);
      const delivery: BarDelivery = {
        botId: book.botId, market: key, bar: plainBar(bar), receivedAtMs: bar.receivedAtMs, fills: result.fills, orderUpdates: result.orderUpdates, view: result.view,
      };
      deliveries[book.botId] = delivery;
      outbox.push({ op: 'bar', botId: book.botId, input: delivery });
    }
    market = { ...market, queue: rest, inFlight: waiting.length === 0 ? null : { barTimeMs: bar.timeMs, waiting, sentAtMs: nowMs, deliveries } };
    next = { ...next, books, markets: { ...next.markets, [key]: market } };
  }
  return { state: next, outbox, notes };
}

function plainBar(bar: StampedBar): Bar {
  return { timeMs: bar.timeMs, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume };
}
