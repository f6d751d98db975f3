/**
 * Plain-JSON shapes of the simulated broker's book, for the paper exchange: a book lives in a durable
 * entity between bars. NaN does not survive JSON, so every "absent" number is `null` here.
 */

/** One fill reported by the broker to its listener (the paper exchange). */
export interface BrokerFill {
  /** The order's client order id; undefined for attached exits (stop-loss, take-profit, trailing) and liquidation. */
  readonly clientOrderId: string | undefined;
  readonly bar: number;
  readonly timeMs: number;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly price: number;
  readonly fee: number;
  /** `entry`, `exit`, `reverse`, `stop-loss`, `take-profit`, `trailing-stop`, `liquidation`, `flatten`. */
  readonly reason: string;
  /** Units of the order still working after this fill (partial fills); 0 when the order is done. */
  readonly remaining: number;
  /** P&L realized by this fill net of the fees of the closed units; 0 for opening fills. */
  readonly realizedPnl: number;
}

export type OrderDoneStatus = 'rejected' | 'cancelled' | 'expired';

/** Told about everything that happens to orders carrying a client order id. */
export interface BrokerListener {
  onFill(fill: BrokerFill): void;
  onOrderDone(clientOrderId: string, status: OrderDoneStatus, reason: string): void;
}

export interface OrderSnapshot {
  readonly isEntry: boolean;
  readonly direction: number;
  readonly type: number;
  readonly price: number | null;
  readonly sizingMode: number;
  readonly sizingValue: number | null;
  readonly quantity: number | null;
  readonly stopLoss: number | null;
  readonly takeProfit: number | null;
  readonly trailingStop: number | null;
  readonly tag: string | null;
  readonly reason: string;
  readonly positionEpoch: number;
  readonly clientOrderId: string | null;
}

export interface LotSnapshot {
  readonly quantity: number;
  readonly entryPrice: number;
  readonly entryFee: number;
  readonly entryBar: number;
  readonly entryTimeMs: number;
  readonly stopLoss: number | null;
  readonly takeProfit: number | null;
  readonly trailingStop: number | null;
  readonly trailExtreme: number;
  readonly trailLevel: number | null;
  readonly activeFromBar: number;
}

export interface BrokerSnapshot {
  readonly cash: number;
  readonly epoch: number;
  readonly rejectedOrders: number;
  readonly lots: readonly LotSnapshot[];
  readonly pending: readonly OrderSnapshot[];
  readonly working: readonly OrderSnapshot[];
}

/** A working or pending order as the paper exchange shows it. */
export interface OpenOrderView {
  readonly clientOrderId: string | null;
  readonly kind: 'entry' | 'exit';
  /** Entries: the position side; exits: null (they close whatever is open). */
  readonly side: 'long' | 'short' | null;
  readonly type: 'market' | 'limit' | 'stop';
  readonly price: number | null;
  readonly tag: string | null;
}

export const nanToNull = (value: number): number | null => (Number.isNaN(value) ? null : value);
export const nullToNan = (value: number | null | undefined): number => (value === null || value === undefined ? NaN : value);
