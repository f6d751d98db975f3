/**
 * One bot's book at the paper exchange: the backtester's own `SimulatedBroker` (same order, position,
 * fee, slippage and sizing accounting), restored from JSON for each call and saved back after it.
 *
 * Per bar the book does what the backtest engine does before the strategy step: fill what the bar
 * fills (market orders at its open, attached exits, limit/stop orders traded through), mark to market
 * at the close, liquidate when equity is gone. The strategy then runs in the bot, whose intents come
 * back as order requests, exactly as the engine submits them before the next bar.
 */
import type { BacktestConfig } from '../trading/backtest/backtest-types.js';
import type { BrokerFill, BrokerListener, BrokerSnapshot, OrderDoneStatus } from '../trading/backtest/broker-snapshot.js';
import { SimulatedBroker, SUBMIT_CANCELLED, SUBMIT_NO_POSITION, SUBMIT_NOTHING_TO_CANCEL, SUBMIT_SHORT_NOT_ALLOWED, SUBMIT_BELOW_ONE_LOT } from '../trading/backtest/simulated-broker.js';
import type { Sizing } from '../trading/strategies/strategy.js';
import type { Bar } from '../trading/types.js';
import type { BookView, MarketKey, OrderUpdate, PaperFill, PaperOrderRequest } from '../bots/execution-messages.js';

/** Fees and execution settings of a paper connection. */
export interface PaperExecution {
  /** Commission on notional (0.001 = 0.1%). */
  readonly feeRate: number;
  /** Commission per fill, in quote currency. */
  readonly fixedFee: number;
  readonly slippageBps: number;
  /** Largest share of a bar's volume one fill takes; null: no partial fills. */
  readonly maxVolumeShare: number | null;
}

/** What the bot brings to its book when it attaches. */
export interface BookSettings {
  readonly market: MarketKey;
  /** Quote currency the bot trades with (its share of the paper balance). */
  readonly capital: number;
  readonly sizing: Sizing;
  readonly lotStep: number;
  readonly shortAllowed: boolean;
}

export interface PaperBookState {
  readonly botId: string;
  readonly settings: BookSettings;
  readonly execution: PaperExecution;
  readonly attached: boolean;
  readonly broker: BrokerSnapshot;
  /** Bars this book has processed (the broker's bar index). */
  readonly barIndex: number;
  readonly lastBarTimeMs: number | null;
  readonly lastPrice: number | null;
  /** Highest order sequence number accepted from the bot: a request at or below it is a duplicate. */
  readonly lastSeq: number;
  readonly fillCount: number;
  /** Equity reached zero: everything was closed and the book trades no more. */
  readonly wipedOut: boolean;
  /** Order updates made outside a bar (acceptance), sent with the next delivery. */
  readonly unsentUpdates: readonly OrderUpdate[];
  /** When the account last answered the bot's reconciliation (null: never). */
  readonly lastReconcileAtMs?: number | null;
}

export function brokerConfig(settings: BookSettings, execution: PaperExecution): BacktestConfig {
  return {
    cash: settings.capital,
    commission: { rate: execution.feeRate, fixed: execution.fixedFee },
    slippageBps: execution.slippageBps,
    sizing: settings.sizing,
    lotStep: settings.lotStep,
    shortAllowed: settings.shortAllowed,
    ...(execution.maxVolumeShare === null ? {} : { maxVolumeShare: execution.maxVolumeShare }),
  };
}

export function newBook(botId: string, settings: BookSettings, execution: PaperExecution): PaperBookState {
  const broker = new SimulatedBroker(brokerConfig(settings, execution));
  return {
    botId, settings, execution, attached: true, broker: broker.toSnapshot(), barIndex: -1, lastBarTimeMs: null, lastPrice: null,
    lastSeq: 0, fillCount: 0, wipedOut: false, unsentUpdates: [],
  };
}

/** Collects what the broker reports while one call runs. */
class Recorder implements BrokerListener {
  readonly fills: PaperFill[] = [];
  readonly updates: OrderUpdate[] = [];
  constructor(
    private readonly botId: string,
    private fillCount: number,
    private readonly atMs: number,
  ) {}

  get count(): number {
    return this.fillCount;
  }

  onFill(fill: BrokerFill): void {
    this.fillCount++;
    this.fills.push({
      fillId: `${this.botId}-f${this.fillCount}`,
      botId: this.botId,
      clientOrderId: fill.clientOrderId ?? null,
      timeMs: fill.timeMs,
      side: fill.side,
      quantity: fill.quantity,
      price: fill.price,
      fee: fill.fee,
      reason: fill.reason,
      remaining: fill.remaining,
      realizedPnl: fill.realizedPnl,
    });
    // The opening leg of a reversal follows its closing leg: only the last fill of an order says filled.
    if (fill.clientOrderId !== undefined && fill.reason !== 'reverse') {
      this.updates.push({
        clientOrderId: fill.clientOrderId,
        status: fill.remaining > 0 ? 'partially-filled' : 'filled',
        reason: fill.remaining > 0 ? `${fill.remaining} left to fill` : `filled at ${fill.price}`,
        atMs: fill.timeMs,
      });
    }
  }

  onOrderDone(clientOrderId: string, status: OrderDoneStatus, reason: string): void {
    this.updates.push({ clientOrderId, status, reason, atMs: this.atMs });
  }
}

function restore(book: PaperBookState): SimulatedBroker {
  return SimulatedBroker.fromSnapshot(brokerConfig(book.settings, book.execution), book.broker);
}

function viewOf(book: PaperBookState, broker: SimulatedBroker, price: number | null): BookView {
  const ctx = broker.context;
  const equity = price === null ? broker.cash : broker.markToMarket(price);
  return {
    positionSide: ctx.positionSide,
    positionQty: ctx.positionQty,
    positionEntryPrice: Number.isNaN(ctx.positionEntryPrice) ? null : ctx.positionEntryPrice,
    equity,
    // The engine's definition, so the strategy sees the same context as in a backtest.
    cash: broker.lots.length === 0 || price === null ? equity : equity - Math.abs(broker.positionQty) * price,
    balance: broker.cash,
    workingOrderTags: [...ctx.workingOrderTags],
    openOrders: broker.openOrders(),
    lastPrice: price,
    fillCount: book.fillCount,
    lastSeq: book.lastSeq,
  };
}

export function bookView(book: PaperBookState): BookView {
  return viewOf(book, restore(book), book.lastPrice);
}

export interface BookStepResult {
  readonly book: PaperBookState;
  readonly fills: readonly PaperFill[];
  readonly orderUpdates: readonly OrderUpdate[];
  readonly view: BookView;
}

/** Processes one closed bar; undefined when the bar is not newer than the last one (ignored). */
export function bookOnBar(book: PaperBookState, bar: Bar): BookStepResult | undefined {
  if (book.lastBarTimeMs !== null && bar.timeMs <= book.lastBarTimeMs) return undefined;
  const broker = restore(book);
  const recorder = new Recorder(book.botId, book.fillCount, bar.timeMs);
  broker.listener = recorder;
  const i = book.barIndex + 1;
  let wipedOut = book.wipedOut;
  if (!wipedOut) {
    if (broker.hasBarWork()) broker.processBar(i, bar.timeMs, bar.open, bar.high, bar.low, bar.volume);
    if (broker.markToMarket(bar.close) <= 0) {
      broker.liquidate(i, bar.timeMs, bar.close);
      wipedOut = true;
    }
  }
  broker.listener = undefined;
  const next: PaperBookState = {
    ...book,
    broker: broker.toSnapshot(),
    barIndex: i,
    lastBarTimeMs: bar.timeMs,
    lastPrice: bar.close,
    fillCount: recorder.count,
    wipedOut,
    unsentUpdates: [],
  };
  return { book: next, fills: recorder.fills, orderUpdates: [...book.unsentUpdates, ...recorder.updates], view: viewOf(next, broker, bar.close) };
}

const REFUSED: Readonly<Record<number, string>> = {
  [SUBMIT_NO_POSITION]: 'no position to exit',
  [SUBMIT_SHORT_NOT_ALLOWED]: 'short positions are not allowed on this market',
  [SUBMIT_BELOW_ONE_LOT]: 'quantity is below one lot',
  [SUBMIT_NOTHING_TO_CANCEL]: 'no working order to cancel',
};

export interface PlaceResult {
  readonly book: PaperBookState;
  /** Requests already seen (re-delivered): ignored, never placed twice. */
  readonly duplicates: readonly string[];
  readonly updates: readonly OrderUpdate[];
}

/**
 * Places the bot's order requests in order. A request whose sequence number is not above the highest
 * seen is a duplicate and does nothing. Updates (accepted, or why not) are kept for the next delivery.
 */
export function bookPlaceOrders(book: PaperBookState, requests: readonly PaperOrderRequest[], atMs: number): PlaceResult {
  const fresh = requests.filter((r) => r.seq > book.lastSeq).sort((a, b) => a.seq - b.seq);
  const duplicates = requests.filter((r) => r.seq <= book.lastSeq).map((r) => r.clientOrderId);
  if (fresh.length === 0) return { book, duplicates, updates: [] };
  const broker = restore(book);
  const recorder = new Recorder(book.botId, book.fillCount, atMs);
  broker.listener = recorder;
  let lastSeq = book.lastSeq;
  for (const request of fresh) {
    lastSeq = request.seq;
    if (book.wipedOut) {
      recorder.updates.push({ clientOrderId: request.clientOrderId, status: 'rejected', reason: 'the paper book was liquidated', atMs });
      continue;
    }
    const outcome = broker.submitOne(request.intent, request.clientOrderId);
    const refused = REFUSED[outcome];
    if (outcome === SUBMIT_CANCELLED) recorder.updates.push({ clientOrderId: request.clientOrderId, status: 'filled', reason: 'cancel done', atMs });
    else if (refused !== undefined) recorder.updates.push({ clientOrderId: request.clientOrderId, status: 'rejected', reason: refused, atMs });
    else recorder.updates.push({ clientOrderId: request.clientOrderId, status: 'accepted', reason: 'working', atMs });
  }
  broker.listener = undefined;
  const next: PaperBookState = { ...book, broker: broker.toSnapshot(), lastSeq, fillCount: recorder.count, unsentUpdates: [...book.unsentUpdates, ...recorder.updates] };
  return { book: next, duplicates, updates: recorder.updates };
}

/** Kill switch: cancels every order and closes the position now at the last price. */
export function bookFlatten(book: PaperBookState, request: { clientOrderId: string; seq: number }, atMs: number): BookStepResult | undefined {
  if (request.seq <= book.lastSeq) return undefined;
  const broker = restore(book);
  const recorder = new Recorder(book.botId, book.fillCount, atMs);
  broker.listener = recorder;
  if (book.lastPrice !== null) broker.flatten(Math.max(0, book.barIndex), atMs, book.lastPrice, request.clientOrderId);
  broker.listener = undefined;
  const next: PaperBookState = { ...book, broker: broker.toSnapshot(), lastSeq: request.seq, fillCount: recorder.count };
  // Already flat: nothing filled, but the flatten order is done all the same.
  const done: OrderUpdate[] = recorder.fills.length === 0 ? [{ clientOrderId: request.clientOrderId, status: 'filled', reason: 'nothing to flatten', atMs }] : [];
  return { book: next, fills: recorder.fills, orderUpdates: [...recorder.updates, ...done], view: viewOf(next, broker, book.lastPrice) };
}

/** Tick-driven fills: pending market orders fill at `price`, limit/stop orders when `price` trades through. */
export function bookOnTick(book: PaperBookState, price: number, timeMs: number): BookStepResult {
  const broker = restore(book);
  const recorder = new Recorder(book.botId, book.fillCount, timeMs);
  broker.listener = recorder;
  if (!book.wipedOut && broker.hasBarWork()) broker.processBar(Math.max(0, book.barIndex), timeMs, price, price, price);
  broker.listener = undefined;
  const next: PaperBookState = { ...book, broker: broker.toSnapshot(), lastPrice: price, fillCount: recorder.count };
  return { book: next, fills: recorder.fills, orderUpdates: recorder.updates, view: viewOf(next, broker, price) };
}
