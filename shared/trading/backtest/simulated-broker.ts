/**
 * Order and position accounting for the backtester, one bar at a time (see docs/backtesting.md).
 *
 * Model: a position is a FIFO list of lots, one per entry fill, each with its own entry price, fee and
 * attached exits (stop-loss, take-profit, trailing stop). Exits close lots oldest first; every closed
 * lot (or closed part of a lot) is one `Trade`. "Cash" is the initial cash plus realized P&L minus
 * fees: equity = cash + unrealized P&L, and the cost of a position is never taken out of cash.
 *
 * Everything here is written for the per-bar hot path of the engine: no allocation unless an order
 * is placed or filled, numeric codes instead of strings, one class per record so shapes stay stable.
 *
 * The paper exchange (shared/paper) runs this same class for every bot book, so paper fills equal the
 * backtester's. What only the paper exchange uses costs the backtester nothing on idle bars: client
 * order ids on orders, a listener told about fills and finished orders (undefined in backtests),
 * partial fills capped at a share of the bar's volume (off unless `maxVolumeShare` is set), immediate
 * flattening, and a JSON snapshot of the whole book (`toSnapshot` / `fromSnapshot`).
 */
import type { OrderIntent, Side, Sizing, StrategyContext } from '../strategies/strategy.js';
import type { BacktestConfig, Trade } from './backtest-types.js';
import type { BrokerListener, BrokerSnapshot, LotSnapshot, OpenOrderView, OrderSnapshot } from './broker-snapshot.js';
import { nanToNull, nullToNan } from './broker-snapshot.js';
import { affordableQuantity, commissionFor, roundDownToLot } from './position-sizing.js';

const MARKET = 0;
const LIMIT = 1;
const STOP = 2;

const FRACTION = 0;
const QUANTITY = 1;
const NOTIONAL = 2;

export const EXIT_REASON = {
  stopLoss: 'stop-loss',
  takeProfit: 'take-profit',
  trailingStop: 'trailing-stop',
  reverse: 'reverse',
  liquidation: 'liquidation',
  flatten: 'flatten',
} as const;

export const BACKTEST_INVALID_INTENT = 'BACKTEST.INVALID_INTENT' as const;

/** What `submitOne` did with an intent. */
export const SUBMIT_PENDING = 0;
export const SUBMIT_WORKING = 1;
export const SUBMIT_CANCELLED = 2;
export const SUBMIT_NOTHING_TO_CANCEL = 3;
export const SUBMIT_NO_POSITION = 4;
export const SUBMIT_SHORT_NOT_ALLOWED = 5;
export const SUBMIT_BELOW_ONE_LOT = 6;
export type SubmitOutcome = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** A strategy emitted an intent the engine cannot execute (a bug in the strategy, not a market event). */
export class InvalidIntentError extends Error {
  readonly code = BACKTEST_INVALID_INTENT;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidIntentError';
  }
}

class Order {
  constructor(
    readonly isEntry: boolean,
    /** Entries: +1 long, -1 short. Exits: 0 (the fill side follows the position). */
    readonly direction: number,
    readonly type: number,
    /** Limit or stop price; NaN for market orders. */
    readonly price: number,
    readonly sizingMode: number,
    readonly sizingValue: number,
    /** Exits: units to close, NaN for the whole position. */
    readonly quantity: number,
    readonly stopLoss: number,
    readonly takeProfit: number,
    readonly trailingStop: number,
    readonly tag: string | undefined,
    readonly reason: string,
    /** Exits only apply to the position that was open when they were placed. */
    readonly positionEpoch: number,
    /** Set by the paper exchange (`{botId}-{seq}`); undefined in backtests. */
    readonly clientOrderId: string | undefined,
  ) {}
}

class Lot {
  constructor(
    /** Signed units: positive long, negative short. */
    public quantity: number,
    readonly entryPrice: number,
    /** Entry fee not yet attributed to a closed trade. */
    public entryFee: number,
    readonly entryBar: number,
    readonly entryTimeMs: number,
    readonly stopLoss: number,
    readonly takeProfit: number,
    readonly trailingStop: number,
    /** Best price since entry (highest for longs, lowest for shorts). */
    public trailExtreme: number,
    /** Current trailing stop level, NaN without a trailing stop. */
    public trailLevel: number,
    /** First bar whose range may trigger the attached exits. */
    readonly activeFromBar: number,
  ) {}

  get hasAttachedExits(): boolean {
    return !Number.isNaN(this.stopLoss) || !Number.isNaN(this.takeProfit) || !Number.isNaN(this.trailingStop);
  }
}

/** The engine's live view of the account, handed to `strategy.step` (mutated in place, never reallocated). */
export class BrokerContext implements StrategyContext {
  positionSide: 1 | -1 | 0 = 0;
  positionQty = 0;
  positionEntryPrice = NaN;
  equity: number;
  cash: number;
  workingOrderTags: readonly string[] = [];
  constructor(
    cash: number,
    readonly shortAllowed: boolean,
  ) {
    this.equity = cash;
    this.cash = cash;
  }
}

/** In-place removal keeping order; unlike `splice` it allocates no result array. */
function removeAt<T>(items: T[], k: number): void {
  const last = items.length - 1;
  for (let j = k; j < last; j++) items[j] = items[j + 1]!;
  items.pop();
}

function sizingCode(sizing: Sizing): number {
  return sizing.mode === 'fraction' ? FRACTION : sizing.mode === 'quantity' ? QUANTITY : NOTIONAL;
}

function optionalPrice(value: number | undefined, what: string): number {
  if (value === undefined) return NaN;
  if (!(Number.isFinite(value) && value > 0)) throw new InvalidIntentError(`${what} must be a positive finite price, got ${value}`);
  return value;
}

export class SimulatedBroker {
  /** Initial cash + realized P&L − fees. */
  cash: number;
  readonly lots: Lot[] = [];
  /** Signed units held and Σ signed units × entry price, over all lots. */
  positionQty = 0;
  positionCost = 0;
  positionSide: 1 | -1 | 0 = 0;
  /** Market orders waiting for the next open. */
  readonly pending: Order[] = [];
  /** Limit and stop orders, checked against every bar's range until filled or cancelled. */
  readonly working: Order[] = [];
  /** Lots with a stop-loss, take-profit or trailing stop. */
  attachedCount = 0;
  readonly trades: Trade[] = [];
  readonly context: BrokerContext;
  /** Orders dropped because they could not be sized, afforded, or were not allowed (shorts). */
  rejectedOrders = 0;
  /** The paper exchange's observer; undefined in backtests (checked only when something fills). */
  listener: BrokerListener | undefined = undefined;
  private epoch = 0;
  /** Exit fee of the last `closeLot`, summed by `exit` for the listener. */
  private lastExitFee = 0;
  /** Largest share of a bar's volume one fill may take; Infinity (no partial fills) unless configured. */
  private readonly maxVolumeShare: number;
  private readonly rate: number;
  private readonly fixedFee: number;
  private readonly slippage: number;
  private readonly lotStep: number;
  private readonly shortAllowed: boolean;
  private readonly defaultSizingMode: number;
  private readonly defaultSizingValue: number;

  constructor(config: BacktestConfig) {
    this.cash = config.cash;
    this.rate = config.commission.rate;
    this.fixedFee = config.commission.fixed;
    this.slippage = config.slippageBps / 10_000;
    this.lotStep = config.lotStep;
    this.shortAllowed = config.shortAllowed;
    this.defaultSizingMode = sizingCode(config.sizing);
    this.defaultSizingValue = config.sizing.value;
    this.maxVolumeShare = config.maxVolumeShare ?? Infinity;
    this.context = new BrokerContext(config.cash, config.shortAllowed);
  }

  /** True when the coming bar can fill something; lets the engine skip `processBar` on idle bars. */
  hasBarWork(): boolean {
    return this.pending.length !== 0 || this.working.length !== 0 || this.attachedCount !== 0;
  }

  /** Unrealized P&L if the position were valued at `price`. One lot is valued exactly as q × (price − entry). */
  unrealized(price: number): number {
    const lots = this.lots;
    if (lots.length === 0) return 0;
    if (lots.length === 1) {
      const lot = lots[0]!;
      return lot.quantity * (price - lot.entryPrice);
    }
    return this.positionQty * price - this.positionCost;
  }

  markToMarket(price: number): number {
    return this.lots.length === 0 ? this.cash : this.cash + this.unrealized(price);
  }

  /** Equity not tied up in the position at `price`: what fraction sizing spends (leverage 1). */
  availableEquity(price: number): number {
    if (this.lots.length === 0) return this.cash;
    return this.cash + this.unrealized(price) - Math.abs(this.positionQty) * price;
  }

  /**
   * Executes what bar `i` fills: first market orders at the open, then attached exits of open lots,
   * then working limit/stop orders; finally trailing stops follow the bar's extreme.
   */
  processBar(i: number, timeMs: number, open: number, high: number, low: number, volume = NaN): void {
    const cap = this.maxVolumeShare === Infinity ? Infinity : this.volumeCap(volume);
    if (this.pending.length !== 0) this.fillPendingAtOpen(i, timeMs, open, cap);
    if (this.attachedCount !== 0) this.checkAttachedExits(i, timeMs, open, high, low);
    if (this.working.length !== 0) this.checkWorkingOrders(i, timeMs, open, high, low, cap);
    if (this.attachedCount !== 0) this.followTrailingStops(i, high, low);
  }

  /** Turns a strategy's intents (decided at a bar's close) into orders for the next bars. */
  submit(intents: readonly OrderIntent[]): void {
    let workingChanged = false;
    for (let k = 0; k < intents.length; k++) {
      const outcome = this.place(intents[k]!, undefined);
      if (outcome === SUBMIT_WORKING || outcome === SUBMIT_CANCELLED) workingChanged = true;
    }
    if (workingChanged) this.syncWorkingTags();
  }

  /**
   * One intent with the paper exchange's client order id. Answers what became of it: queued for the
   * next open, working (limit/stop), cancelled working orders (cancel intents), or not accepted.
   */
  submitOne(intent: OrderIntent, clientOrderId: string): SubmitOutcome {
    const outcome = this.place(intent, clientOrderId);
    if (outcome === SUBMIT_WORKING || outcome === SUBMIT_CANCELLED) this.syncWorkingTags();
    return outcome;
  }

  private place(intent: OrderIntent, clientOrderId: string | undefined): SubmitOutcome {
    if (intent.kind === 'cancel') return this.cancel(intent.tag) ? SUBMIT_CANCELLED : SUBMIT_NOTHING_TO_CANCEL;
    const type = intent.type === 'market' ? MARKET : intent.type === 'limit' ? LIMIT : STOP;
    const price = type === MARKET ? NaN : optionalPrice(intent.price, `${intent.type} ${intent.kind} price`);
    if (type !== MARKET && Number.isNaN(price)) throw new InvalidIntentError(`${intent.type} ${intent.kind} needs a price`);
    let order: Order;
    if (intent.kind === 'entry') {
      const direction = intent.side === 'long' ? 1 : -1;
      if (direction < 0 && !this.shortAllowed) {
        this.rejectedOrders++;
        return SUBMIT_SHORT_NOT_ALLOWED;
      }
      const trailingStop = intent.trailingStop ?? NaN;
      if (!Number.isNaN(trailingStop) && !(trailingStop > 0 && trailingStop < 1)) {
        throw new InvalidIntentError(`trailingStop must be a fraction in (0, 1), got ${trailingStop}`);
      }
      const sizing = intent.sizing;
      if (sizing !== undefined && !(Number.isFinite(sizing.value) && sizing.value > 0)) {
        throw new InvalidIntentError(`sizing value must be positive, got ${sizing.value}`);
      }
      order = new Order(
        true, direction, type, price,
        sizing === undefined ? this.defaultSizingMode : sizingCode(sizing),
        sizing === undefined ? this.defaultSizingValue : sizing.value,
        NaN,
        optionalPrice(intent.stopLoss, 'stopLoss'),
        optionalPrice(intent.takeProfit, 'takeProfit'),
        trailingStop, intent.tag, intent.reason, 0, clientOrderId,
      );
    } else {
      if (this.positionSide === 0) return SUBMIT_NO_POSITION; // nothing to exit
      let quantity = NaN;
      if (intent.quantity !== undefined) {
        if (!(intent.quantity > 0)) throw new InvalidIntentError(`exit quantity must be positive, got ${intent.quantity}`);
        quantity = roundDownToLot(intent.quantity, this.lotStep);
        if (quantity === 0) {
          this.rejectedOrders++;
          return SUBMIT_BELOW_ONE_LOT;
        }
      }
      order = new Order(false, 0, type, price, FRACTION, NaN, quantity, NaN, NaN, NaN, intent.tag, intent.reason, this.epoch, clientOrderId);
    }
    if (type === MARKET) {
      this.pending.push(order);
      return SUBMIT_PENDING;
    }
    this.working.push(order);
    return SUBMIT_WORKING;
  }

  /** Closes everything at `price` (equity exhausted); later bars trade nothing. */
  liquidate(i: number, timeMs: number, price: number): void {
    while (this.lots.length !== 0) this.closeLot(0, Math.abs(this.lots[0]!.quantity), price, i, timeMs, EXIT_REASON.liquidation, undefined);
    this.cash = 0;
    this.dropAllOrders('cancelled', 'account liquidated');
    this.afterPositionChange();
    this.syncWorkingTags();
  }

  /**
   * Paper exchange: cancels every order and closes the whole position now at `price` (slipped), as a
   * kill switch does. The fill carries `clientOrderId`.
   */
  flatten(i: number, timeMs: number, price: number, clientOrderId: string): void {
    this.dropAllOrders('cancelled', 'cancelled by flatten');
    if (this.positionSide !== 0) this.exit(NaN, this.slipped(price, -this.positionSide), i, timeMs, EXIT_REASON.flatten, clientOrderId);
    this.syncWorkingTags();
  }

  /** Pending and working orders, oldest first (paper exchange views). */
  openOrders(): OpenOrderView[] {
    const view = (order: Order): OpenOrderView => ({
      clientOrderId: order.clientOrderId ?? null,
      kind: order.isEntry ? 'entry' : 'exit',
      side: order.isEntry ? (order.direction > 0 ? 'long' : 'short') : null,
      type: order.type === MARKET ? 'market' : order.type === LIMIT ? 'limit' : 'stop',
      price: nanToNull(order.price),
      tag: order.tag ?? null,
    });
    return [...this.pending.map(view), ...this.working.map(view)];
  }

  /** The whole book as plain JSON (trades are not part of it: the paper exchange reports fills instead). */
  toSnapshot(): BrokerSnapshot {
    return {
      cash: this.cash,
      epoch: this.epoch,
      rejectedOrders: this.rejectedOrders,
      lots: this.lots.map(lotSnapshot),
      pending: this.pending.map(orderSnapshot),
      working: this.working.map(orderSnapshot),
    };
  }

  /** A broker with `config`'s settings holding the book of `snapshot`. */
  static fromSnapshot(config: BacktestConfig, snapshot: BrokerSnapshot): SimulatedBroker {
    const broker = new SimulatedBroker(config);
    broker.cash = snapshot.cash;
    broker.epoch = snapshot.epoch;
    broker.rejectedOrders = snapshot.rejectedOrders;
    for (const l of snapshot.lots) {
      const lot = new Lot(
        l.quantity, l.entryPrice, l.entryFee, l.entryBar, l.entryTimeMs, nullToNan(l.stopLoss), nullToNan(l.takeProfit),
        nullToNan(l.trailingStop), l.trailExtreme, nullToNan(l.trailLevel), l.activeFromBar,
      );
      broker.lots.push(lot);
      if (lot.hasAttachedExits) broker.attachedCount++;
    }
    for (const o of snapshot.pending) broker.pending.push(orderFromSnapshot(o));
    for (const o of snapshot.working) broker.working.push(orderFromSnapshot(o));
    broker.afterPositionChange();
    broker.syncWorkingTags();
    return broker;
  }

  /** Open lots valued at `price`, shaped like trades (for reports); not part of the statistics. */
  openTradesAt(i: number, timeMs: number, price: number): Trade[] {
    return this.lots.map((lot) => {
      const units = Math.abs(lot.quantity);
      const gross = lot.quantity * (price - lot.entryPrice);
      const side = lot.quantity > 0 ? 1 : -1;
      return {
        side: side > 0 ? 'long' : 'short',
        quantity: units,
        entryBar: lot.entryBar,
        entryTimeMs: lot.entryTimeMs,
        entryPrice: lot.entryPrice,
        exitBar: i,
        exitTimeMs: timeMs,
        exitPrice: price,
        entryFee: lot.entryFee,
        exitFee: 0,
        pnl: gross - lot.entryFee,
        returnFraction: side * (price / lot.entryPrice - 1) - lot.entryFee / (units * lot.entryPrice),
        exitReason: 'open',
      } satisfies Trade;
    });
  }

  private fillPendingAtOpen(i: number, timeMs: number, open: number, cap: number): void {
    const pending = this.pending;
    let carried: Order[] | undefined;
    for (let k = 0; k < pending.length; k++) {
      const order = pending[k]!;
      let rest: Order | undefined;
      if (order.isEntry) {
        rest = this.enter(order, i, timeMs, this.slipped(open, order.direction), i, cap);
      } else if (this.positionSide !== 0 && order.positionEpoch === this.epoch) {
        const fillSide = -this.positionSide;
        rest = this.exitOrder(order, this.slipped(open, fillSide), i, timeMs, cap);
      } else if (order.clientOrderId !== undefined) {
        this.listener?.onOrderDone(order.clientOrderId, 'expired', 'the position it would close is gone');
      }
      if (rest !== undefined) (carried ??= []).push(rest);
    }
    pending.length = 0;
    if (carried !== undefined) pending.push(...carried);
  }

  /**
   * Stop-loss / trailing stop trigger on touch and fill at their level, or at the open when the bar
   * gaps through; take-profit needs the price to trade through it. When a stop and the take-profit
   * both lie inside the bar, the stop is assumed to fill first (the worse outcome), unless the open
   * already gapped beyond the take-profit.
   */
  private checkAttachedExits(i: number, timeMs: number, open: number, high: number, low: number): void {
    const lots = this.lots;
    let changed = false;
    for (let k = 0; k < lots.length; ) {
      const lot = lots[k]!;
      if (lot.activeFromBar > i || !lot.hasAttachedExits) {
        k++;
        continue;
      }
      const long = lot.quantity > 0;
      const stopLoss = lot.stopLoss;
      const trail = lot.trailLevel;
      // The tighter of stop-loss and trailing stop is the one the price reaches first.
      let stop = stopLoss;
      let stopReason: string = EXIT_REASON.stopLoss;
      if (!Number.isNaN(trail) && (Number.isNaN(stop) || (long ? trail > stop : trail < stop))) {
        stop = trail;
        stopReason = EXIT_REASON.trailingStop;
      }
      const takeProfit = lot.takeProfit;
      const stopHit = !Number.isNaN(stop) && (long ? low <= stop : high >= stop);
      const takeProfitHit = !Number.isNaN(takeProfit) && (long ? high > takeProfit : low < takeProfit);
      if (!stopHit && !takeProfitHit) {
        k++;
        continue;
      }
      const fillSide = long ? -1 : 1;
      let price: number;
      let reason: string;
      if (takeProfitHit && (long ? open > takeProfit : open < takeProfit)) {
        price = open;
        reason = EXIT_REASON.takeProfit;
      } else if (stopHit) {
        price = this.slipped(long ? Math.min(open, stop) : Math.max(open, stop), fillSide);
        reason = stopReason;
      } else {
        price = takeProfit;
        reason = EXIT_REASON.takeProfit;
      }
      this.closeLot(k, Math.abs(lot.quantity), price, i, timeMs, reason, undefined);
      changed = true;
    }
    if (changed) this.afterPositionChange();
  }

  private checkWorkingOrders(i: number, timeMs: number, open: number, high: number, low: number, cap: number): void {
    const working = this.working;
    let changed = false;
    let carried: Order[] | undefined;
    for (let k = 0; k < working.length; ) {
      const order = working[k]!;
      if (!order.isEntry && (this.positionSide === 0 || order.positionEpoch !== this.epoch)) {
        removeAt(working, k); // its position is gone
        if (order.clientOrderId !== undefined) this.listener?.onOrderDone(order.clientOrderId, 'expired', 'the position it would close is gone');
        changed = true;
        continue;
      }
      const fillSide = order.isEntry ? order.direction : -this.positionSide;
      const level = order.price;
      let price = NaN;
      if (order.type === LIMIT) {
        if (fillSide > 0 ? low < level : high > level) price = fillSide > 0 ? Math.min(open, level) : Math.max(open, level);
      } else if (fillSide > 0 ? high >= level : low <= level) {
        price = this.slipped(fillSide > 0 ? Math.max(open, level) : Math.min(open, level), fillSide);
      }
      if (Number.isNaN(price)) {
        k++;
        continue;
      }
      removeAt(working, k);
      changed = true;
      const rest = order.isEntry ? this.enter(order, i, timeMs, price, i + 1, cap) : this.exitOrder(order, price, i, timeMs, cap);
      if (rest !== undefined) (carried ??= []).push(rest);
    }
    // Remainders of partial fills keep working from the next bar on (appended after the scan, so not refilled now).
    if (carried !== undefined) working.push(...carried);
    if (changed) this.syncWorkingTags();
  }

  /** Raises (longs) or lowers (shorts) trailing stops with the bar's extreme, for the next bar. */
  private followTrailingStops(i: number, high: number, low: number): void {
    const lots = this.lots;
    for (let k = 0; k < lots.length; k++) {
      const lot = lots[k]!;
      const trail = lot.trailingStop;
      if (Number.isNaN(trail) || lot.activeFromBar > i) continue;
      if (lot.quantity > 0) {
        if (high > lot.trailExtreme) {
          lot.trailExtreme = high;
          lot.trailLevel = high * (1 - trail);
        }
      } else if (low < lot.trailExtreme) {
        lot.trailExtreme = low;
        lot.trailLevel = low * (1 + trail);
      }
    }
  }

  private slipped(price: number, fillSide: number): number {
    return this.slippage === 0 ? price : price * (1 + fillSide * this.slippage);
  }

  /**
   * Opens (or adds to) a position; an opposite position is closed first at the same price. Answers
   * the unfilled rest of the order when a volume cap made the fill partial.
   */
  private enter(order: Order, i: number, timeMs: number, price: number, activeFromBar: number, cap: number): Order | undefined {
    const direction = order.direction;
    if (this.positionSide === -direction) this.exit(NaN, price, i, timeMs, EXIT_REASON.reverse, order.clientOrderId);
    let quantity = this.entryQuantity(order, price);
    if (quantity === 0) {
      this.rejectedOrders++;
      if (order.clientOrderId !== undefined) this.listener?.onOrderDone(order.clientOrderId, 'rejected', 'not affordable, or below one lot');
      return undefined;
    }
    let remaining = 0;
    if (quantity > cap) {
      remaining = roundDownToLot(quantity - cap, this.lotStep);
      quantity = cap;
      if (quantity === 0) return this.withQuantity(order, remaining);
    }
    const fee = commissionFor(quantity, price, this.rate, this.fixedFee);
    this.cash -= fee;
    const trail = order.trailingStop;
    const lot = new Lot(
      direction * quantity, price, fee, i, timeMs, order.stopLoss, order.takeProfit, trail,
      price, Number.isNaN(trail) ? NaN : price * (1 - direction * trail), activeFromBar,
    );
    if (this.positionSide === 0) this.epoch++;
    this.lots.push(lot);
    if (lot.hasAttachedExits) this.attachedCount++;
    this.afterPositionChange();
    this.listener?.onFill({
      clientOrderId: order.clientOrderId, bar: i, timeMs, side: direction > 0 ? 'buy' : 'sell', quantity, price, fee,
      reason: 'entry', remaining, realizedPnl: 0,
    });
    return remaining > 0 ? this.withQuantity(order, remaining) : undefined;
  }

  /** An exit order's fill, capped by the bar's volume; answers the rest when partial. */
  private exitOrder(order: Order, price: number, i: number, timeMs: number, cap: number): Order | undefined {
    if (cap === Infinity) {
      this.exit(order.quantity, price, i, timeMs, order.reason, order.clientOrderId);
      return undefined;
    }
    const held = Math.abs(this.positionQty);
    const wanted = Number.isNaN(order.quantity) ? held : Math.min(order.quantity, held);
    const now = Math.min(wanted, cap);
    const remaining = roundDownToLot(wanted - now, this.lotStep);
    if (now > 0) this.exit(now, price, i, timeMs, order.reason, order.clientOrderId, remaining);
    return remaining > 0 ? this.withQuantity(order, remaining) : undefined;
  }

  /** The same order for `quantity` units (the rest of a partial fill). */
  private withQuantity(order: Order, quantity: number): Order {
    return order.isEntry
      ? new Order(true, order.direction, order.type, order.price, QUANTITY, quantity, NaN, order.stopLoss, order.takeProfit, order.trailingStop, order.tag, order.reason, 0, order.clientOrderId)
      : new Order(false, 0, order.type, order.price, FRACTION, NaN, quantity, NaN, NaN, NaN, order.tag, order.reason, order.positionEpoch, order.clientOrderId);
  }

  private volumeCap(volume: number): number {
    if (Number.isNaN(volume)) return Infinity; // driven by ticks: no bar volume to share
    return roundDownToLot(volume * this.maxVolumeShare, this.lotStep);
  }

  private entryQuantity(order: Order, price: number): number {
    const available = this.availableEquity(price);
    const rate = this.rate;
    const fixedFee = this.fixedFee;
    if (order.sizingMode === FRACTION) {
      return affordableQuantity(available * order.sizingValue, price, rate, fixedFee, this.lotStep);
    }
    const quantity = roundDownToLot(order.sizingMode === QUANTITY ? order.sizingValue : order.sizingValue / price, this.lotStep);
    // Like a broker, refuse (rather than shrink) an order the account cannot pay for.
    if (quantity * (price + price * rate) + fixedFee > available) return 0;
    return quantity;
  }

  /** Closes `quantity` units (NaN: all) FIFO at `price`. */
  private exit(quantity: number, price: number, i: number, timeMs: number, reason: string, clientOrderId: string | undefined, rest = 0): void {
    const lots = this.lots;
    const tolerance = this.lotStep * 1e-9;
    const side = this.positionSide;
    let remaining = Number.isNaN(quantity) ? Infinity : quantity;
    let closed = 0;
    let pnl = 0;
    let fee = 0;
    const listener = this.listener;
    while (remaining > tolerance && lots.length !== 0) {
      const units = Math.abs(lots[0]!.quantity);
      const closing = remaining >= units - tolerance ? units : remaining;
      const tradePnl = this.closeLot(0, closing, price, i, timeMs, reason, clientOrderId);
      if (listener !== undefined) {
        closed += closing;
        pnl += tradePnl;
        fee += this.lastExitFee;
      }
      remaining -= closing;
    }
    this.afterPositionChange();
    if (listener !== undefined && closed > 0) {
      listener.onFill({
        clientOrderId, bar: i, timeMs, side: side > 0 ? 'sell' : 'buy', quantity: closed, price,
        fee,
        reason: reason === EXIT_REASON.reverse || reason === EXIT_REASON.flatten ? reason : 'exit', remaining: rest, realizedPnl: pnl,
      });
    }
  }

  /**
   * Closes `units` of lot `k` at `price` and records the trade; the caller updates the aggregates.
   * Answers the trade's P&L. Closes that are not part of an order (attached exits, liquidation) are
   * reported to the listener here; order exits are reported once per order by `exit`.
   */
  private closeLot(k: number, units: number, price: number, i: number, timeMs: number, reason: string, clientOrderId: string | undefined): number {
    const lot = this.lots[k]!;
    const lotUnits = Math.abs(lot.quantity);
    const whole = units >= lotUnits;
    const side = lot.quantity > 0 ? 1 : -1;
    const signedUnits = whole ? lot.quantity : side * units;
    const closedUnits = whole ? lotUnits : units;
    const gross = signedUnits * (price - lot.entryPrice);
    const exitFee = commissionFor(closedUnits, price, this.rate, this.fixedFee);
    const entryFee = whole ? lot.entryFee : lot.entryFee * (closedUnits / lotUnits);
    this.cash += gross - exitFee;
    const fees = exitFee + entryFee;
    const sideName: Side = side > 0 ? 'long' : 'short';
    this.trades.push({
      side: sideName,
      quantity: closedUnits,
      entryBar: lot.entryBar,
      entryTimeMs: lot.entryTimeMs,
      entryPrice: lot.entryPrice,
      exitBar: i,
      exitTimeMs: timeMs,
      exitPrice: price,
      entryFee,
      exitFee,
      pnl: gross - fees,
      returnFraction: side * (price / lot.entryPrice - 1) - fees / (closedUnits * lot.entryPrice),
      exitReason: reason,
    });
    if (whole) {
      removeAt(this.lots, k);
      if (lot.hasAttachedExits) this.attachedCount--;
    } else {
      lot.quantity -= signedUnits;
      lot.entryFee -= entryFee;
    }
    const pnl = gross - fees;
    this.lastExitFee = exitFee;
    if (clientOrderId === undefined && this.listener !== undefined && (reason !== EXIT_REASON.reverse && reason !== EXIT_REASON.flatten)) {
      this.listener.onFill({ clientOrderId, bar: i, timeMs, side: side > 0 ? 'sell' : 'buy', quantity: closedUnits, price, fee: exitFee, reason, remaining: 0, realizedPnl: pnl });
    }
    return pnl;
  }

  /** Recomputes the aggregates from the lots (no drift) and refreshes the strategy's context. */
  private afterPositionChange(): void {
    const lots = this.lots;
    let quantity = 0;
    let cost = 0;
    for (let k = 0; k < lots.length; k++) {
      const lot = lots[k]!;
      quantity += lot.quantity;
      cost += lot.quantity * lot.entryPrice;
    }
    this.positionQty = quantity;
    this.positionCost = cost;
    this.positionSide = lots.length === 0 ? 0 : quantity > 0 ? 1 : -1;
    const ctx = this.context;
    ctx.positionSide = this.positionSide;
    ctx.positionQty = Math.abs(quantity);
    ctx.positionEntryPrice = lots.length === 0 ? NaN : cost / quantity;
  }

  /** Removes working and pending orders with `tag` (all when undefined). Returns whether any working order went. */
  private cancel(tag: string | undefined): boolean {
    const keep = (order: Order): boolean => tag !== undefined && order.tag !== tag;
    const before = this.working.length;
    const listener = this.listener;
    if (listener !== undefined) {
      for (const order of [...this.pending, ...this.working]) {
        if (!keep(order) && order.clientOrderId !== undefined) listener.onOrderDone(order.clientOrderId, 'cancelled', 'cancelled by the strategy');
      }
    }
    const working = this.working.filter(keep);
    const pending = this.pending.filter(keep);
    this.working.length = 0;
    this.working.push(...working);
    this.pending.length = 0;
    this.pending.push(...pending);
    return working.length !== before;
  }

  private dropAllOrders(status: 'cancelled', reason: string): void {
    const listener = this.listener;
    if (listener !== undefined) {
      for (const order of [...this.pending, ...this.working]) if (order.clientOrderId !== undefined) listener.onOrderDone(order.clientOrderId, status, reason);
    }
    this.pending.length = 0;
    this.working.length = 0;
  }

  private syncWorkingTags(): void {
    const tags: string[] = [];
    for (const order of this.working) if (order.tag !== undefined) tags.push(order.tag);
    this.context.workingOrderTags = tags;
  }
}

function orderSnapshot(o: Order): OrderSnapshot {
  return {
    isEntry: o.isEntry,
    direction: o.direction,
    type: o.type,
    price: nanToNull(o.price),
    sizingMode: o.sizingMode,
    sizingValue: nanToNull(o.sizingValue),
    quantity: nanToNull(o.quantity),
    stopLoss: nanToNull(o.stopLoss),
    takeProfit: nanToNull(o.takeProfit),
    trailingStop: nanToNull(o.trailingStop),
    tag: o.tag ?? null,
    reason: o.reason,
    positionEpoch: o.positionEpoch,
    clientOrderId: o.clientOrderId ?? null,
  };
}

function orderFromSnapshot(o: OrderSnapshot): Order {
  return new Order(
    o.isEntry, o.direction, o.type, nullToNan(o.price), o.sizingMode, nullToNan(o.sizingValue), nullToNan(o.quantity),
    nullToNan(o.stopLoss), nullToNan(o.takeProfit), nullToNan(o.trailingStop), o.tag ?? undefined, o.reason, o.positionEpoch,
    o.clientOrderId ?? undefined,
  );
}

function lotSnapshot(l: Lot): LotSnapshot {
  return {
    quantity: l.quantity,
    entryPrice: l.entryPrice,
    entryFee: l.entryFee,
    entryBar: l.entryBar,
    entryTimeMs: l.entryTimeMs,
    stopLoss: nanToNull(l.stopLoss),
    takeProfit: nanToNull(l.takeProfit),
    trailingStop: nanToNull(l.trailingStop),
    trailExtreme: l.trailExtreme,
    trailLevel: nanToNull(l.trailLevel),
    activeFromBar: l.activeFromBar,
  };
}
