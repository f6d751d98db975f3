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
 */
import type { OrderIntent, Side, Sizing, StrategyContext } from '../strategies/strategy.js';
import type { BacktestConfig, Trade } from './backtest-types.js';
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
} as const;

export const BACKTEST_INVALID_INTENT = 'BACKTEST.INVALID_INTENT' as const;

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
  private epoch = 0;
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
  processBar(i: number, timeMs: number, open: number, high: number, low: number): void {
    if (this.pending.length !== 0) this.fillPendingAtOpen(i, timeMs, open);
    if (this.attachedCount !== 0) this.checkAttachedExits(i, timeMs, open, high, low);
    if (this.working.length !== 0) this.checkWorkingOrders(i, timeMs, open, high, low);
    if (this.attachedCount !== 0) this.followTrailingStops(i, high, low);
  }

  /** Turns a strategy's intents (decided at a bar's close) into orders for the next bars. */
  submit(intents: readonly OrderIntent[]): void {
    let workingChanged = false;
    for (let k = 0; k < intents.length; k++) {
      const intent = intents[k]!;
      if (intent.kind === 'cancel') {
        workingChanged = this.cancel(intent.tag) || workingChanged;
        continue;
      }
      const type = intent.type === 'market' ? MARKET : intent.type === 'limit' ? LIMIT : STOP;
      const price = type === MARKET ? NaN : optionalPrice(intent.price, `${intent.type} ${intent.kind} price`);
      if (type !== MARKET && Number.isNaN(price)) throw new InvalidIntentError(`${intent.type} ${intent.kind} needs a price`);
      let order: Order;
      if (intent.kind === 'entry') {
        const direction = intent.side === 'long' ? 1 : -1;
        if (direction < 0 && !this.shortAllowed) {
          this.rejectedOrders++;
          continue;
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
          trailingStop, intent.tag, intent.reason, 0,
        );
      } else {
        if (this.positionSide === 0) continue; // nothing to exit
        let quantity = NaN;
        if (intent.quantity !== undefined) {
          if (!(intent.quantity > 0)) throw new InvalidIntentError(`exit quantity must be positive, got ${intent.quantity}`);
          quantity = roundDownToLot(intent.quantity, this.lotStep);
          if (quantity === 0) {
            this.rejectedOrders++;
            continue;
          }
        }
        order = new Order(false, 0, type, price, FRACTION, NaN, quantity, NaN, NaN, NaN, intent.tag, intent.reason, this.epoch);
      }
      if (type === MARKET) {
        this.pending.push(order);
      } else {
        this.working.push(order);
        workingChanged = true;
      }
    }
    if (workingChanged) this.syncWorkingTags();
  }

  /** Closes everything at `price` (equity exhausted); later bars trade nothing. */
  liquidate(i: number, timeMs: number, price: number): void {
    while (this.lots.length !== 0) this.closeLot(0, Math.abs(this.lots[0]!.quantity), price, i, timeMs, EXIT_REASON.liquidation);
    this.cash = 0;
    this.pending.length = 0;
    this.working.length = 0;
    this.afterPositionChange();
    this.syncWorkingTags();
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

  private fillPendingAtOpen(i: number, timeMs: number, open: number): void {
    const pending = this.pending;
    for (let k = 0; k < pending.length; k++) {
      const order = pending[k]!;
      if (order.isEntry) {
        this.enter(order, i, timeMs, this.slipped(open, order.direction), i);
      } else if (this.positionSide !== 0 && order.positionEpoch === this.epoch) {
        const fillSide = -this.positionSide;
        this.exit(order.quantity, this.slipped(open, fillSide), i, timeMs, order.reason);
      }
    }
    pending.length = 0;
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
      this.closeLot(k, Math.abs(lot.quantity), price, i, timeMs, reason);
      changed = true;
    }
    if (changed) this.afterPositionChange();
  }

  private checkWorkingOrders(i: number, timeMs: number, open: number, high: number, low: number): void {
    const working = this.working;
    let changed = false;
    for (let k = 0; k < working.length; ) {
      const order = working[k]!;
      if (!order.isEntry && (this.positionSide === 0 || order.positionEpoch !== this.epoch)) {
        working.splice(k, 1); // its position is gone
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
      working.splice(k, 1);
      changed = true;
      if (order.isEntry) this.enter(order, i, timeMs, price, i + 1);
      else this.exit(order.quantity, price, i, timeMs, order.reason);
    }
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

  /** Opens (or adds to) a position; an opposite position is closed first at the same price. */
  private enter(order: Order, i: number, timeMs: number, price: number, activeFromBar: number): void {
    const direction = order.direction;
    if (this.positionSide === -direction) this.exit(NaN, price, i, timeMs, EXIT_REASON.reverse);
    const quantity = this.entryQuantity(order, price);
    if (quantity === 0) {
      this.rejectedOrders++;
      return;
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
  private exit(quantity: number, price: number, i: number, timeMs: number, reason: string): void {
    const lots = this.lots;
    const tolerance = this.lotStep * 1e-9;
    let remaining = Number.isNaN(quantity) ? Infinity : quantity;
    while (remaining > tolerance && lots.length !== 0) {
      const units = Math.abs(lots[0]!.quantity);
      const closing = remaining >= units - tolerance ? units : remaining;
      this.closeLot(0, closing, price, i, timeMs, reason);
      remaining -= closing;
    }
    this.afterPositionChange();
  }

  /** Closes `units` of lot `k` at `price` and records the trade; the caller updates the aggregates. */
  private closeLot(k: number, units: number, price: number, i: number, timeMs: number, reason: string): void {
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
      this.lots.splice(k, 1);
      if (lot.hasAttachedExits) this.attachedCount--;
    } else {
      lot.quantity -= signedUnits;
      lot.entryFee -= entryFee;
    }
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

  /** Removes working and pending orders with `tag` (all when undefined). Returns whether any went. */
  private cancel(tag: string | undefined): boolean {
    const keep = (order: Order): boolean => tag !== undefined && order.tag !== tag;
    const before = this.working.length;
    const working = this.working.filter(keep);
    const pending = this.pending.filter(keep);
    this.working.length = 0;
    this.working.push(...working);
    this.pending.length = 0;
    this.pending.push(...pending);
    return working.length !== before;
  }

  private syncWorkingTags(): void {
    const tags: string[] = [];
    for (const order of this.working) if (order.tag !== undefined) tags.push(order.tag);
    this.context.workingOrderTags = tags;
  }
}
