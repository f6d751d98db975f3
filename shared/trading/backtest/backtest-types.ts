/** The backtest engine's public contract, shared by the engine, the CLI, the optimizer, bots and the API. */
import type { Side, Sizing } from '../strategies/strategy.js';

export interface CommissionModel {
  /** Relative commission charged on notional: units × fill price × rate, on entry and exit. */
  readonly rate: number;
  /** Fixed commission per fill, in quote currency. */
  readonly fixed: number;
}

export interface BacktestConfig {
  readonly cash: number;
  readonly commission: CommissionModel;
  /** Adverse price adjustment on market and stop fills, in basis points. */
  readonly slippageBps: number;
  /** Default sizing for entries that do not carry their own. */
  readonly sizing: Sizing;
  /** Quantity step; quantities are rounded down to a multiple of it, never up. */
  readonly lotStep: number;
  /** Whether the market allows shorting; passed to strategies as `ctx.shortAllowed`. */
  readonly shortAllowed: boolean;
  /**
   * Paper exchange only: the largest share of a bar's volume one fill may take (0.1 = 10%); larger
   * orders fill partially and the rest works on the following bars. Absent: no cap (backtests).
   */
  readonly maxVolumeShare?: number;
}

export interface Trade {
  readonly side: Side;
  readonly quantity: number;
  readonly entryBar: number;
  readonly entryTimeMs: number;
  readonly entryPrice: number;
  readonly exitBar: number;
  readonly exitTimeMs: number;
  readonly exitPrice: number;
  readonly entryFee: number;
  readonly exitFee: number;
  /** Net of both fees, in quote currency. */
  readonly pnl: number;
  /** side × (exit/entry − 1) − (entryFee + exitFee) / (quantity × entryPrice) */
  readonly returnFraction: number;
  readonly exitReason: string;
}

/** Every key is part of the CLI's `--json` output and the API; `null` where undefined (e.g. no trades). */
export interface Statistics {
  trades: number;
  equityFinal: number;
  equityPeak: number;
  returnPct: number;
  buyHoldReturnPct: number | null;
  returnAnnPct: number | null;
  volatilityAnnPct: number | null;
  cagrPct: number | null;
  sharpe: number | null;
  sortino: number | null;
  calmar: number | null;
  maxDrawdownPct: number | null;
  avgDrawdownPct: number | null;
  maxDrawdownDurationDays: number | null;
  winRatePct: number | null;
  bestTradePct: number | null;
  worstTradePct: number | null;
  avgTradePct: number | null;
  profitFactor: number | null;
  expectancyPct: number | null;
  sqn: number | null;
  kelly: number | null;
  exposurePct: number | null;
}

export const STATISTICS_KEYS = [
  'trades', 'equityFinal', 'equityPeak', 'returnPct', 'buyHoldReturnPct', 'returnAnnPct',
  'volatilityAnnPct', 'cagrPct', 'sharpe', 'sortino', 'calmar', 'maxDrawdownPct', 'avgDrawdownPct',
  'maxDrawdownDurationDays', 'winRatePct', 'bestTradePct', 'worstTradePct', 'avgTradePct',
  'profitFactor', 'expectancyPct', 'sqn', 'kelly', 'exposurePct',
] as const satisfies readonly (keyof Statistics)[];

export interface BacktestResult {
  readonly trades: readonly Trade[];
  /** Equity at each bar's close (cash + unrealized P&L). */
  readonly equity: Float64Array;
  readonly stats: Statistics;
  /** Positions still open after the last bar, valued at the last close (exitReason 'open'); not in `trades` or the statistics. */
  readonly openTrades?: readonly Trade[];
  /** Entries or exits the engine dropped: not affordable, below one lot, or shorts where not allowed. */
  readonly rejectedOrders?: number;
}
