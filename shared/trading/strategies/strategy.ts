/**
 * The strategy interface, version 1 — frozen (see docs/adr/0002-strategy-interface.md).
 * The same strategy object runs in the backtester, in paper bots and in live bots.
 *
 * Rules every strategy obeys:
 * - `step` is deterministic and does no I/O: no clock, no randomness, no network.
 * - State is plain JSON (numbers, strings, booleans, arrays, plain objects): bots keep it in an entity.
 * - For speed `step` may update the `state` object it is given in place and return it; callers treat
 *   the passed-in state as consumed. Callers that need the old state keep a `structuredClone`.
 * - Decisions are made at the bar's close. Intents are executed by the caller (engine / bot).
 * - A step that wants nothing returns `NO_INTENTS` (shared, frozen, empty) to avoid allocation.
 */
import type { z } from 'zod';
import type { Bar } from '../types.js';

export const STRATEGY_API_VERSION = 1 as const;

export type Side = 'long' | 'short';
export type OrderType = 'market' | 'limit' | 'stop';

/** Overrides the run's default sizing for one entry. */
export type Sizing =
  | { readonly mode: 'fraction'; readonly value: number }
  | { readonly mode: 'quantity'; readonly value: number }
  | { readonly mode: 'notional'; readonly value: number };

export interface EntryIntent {
  readonly kind: 'entry';
  /** Opposite side to the open position means reverse: close first, then open from equity after the close. */
  readonly side: Side;
  readonly type: OrderType;
  /** Limit or stop price; required unless `type` is `market`. */
  readonly price?: number;
  readonly sizing?: Sizing;
  /** Absolute prices attached to the resulting position. */
  readonly stopLoss?: number;
  readonly takeProfit?: number;
  /** Trailing stop distance as a fraction of price (0.05 = 5%). */
  readonly trailingStop?: number;
  /** Strategy-chosen tag so it can later cancel or recognise this order (e.g. a grid level). */
  readonly tag?: string;
  readonly reason: string;
}

export interface ExitIntent {
  readonly kind: 'exit';
  readonly type: OrderType;
  readonly price?: number;
  /** Units to close; absent closes the whole position. */
  readonly quantity?: number;
  readonly tag?: string;
  readonly reason: string;
}

export interface CancelIntent {
  readonly kind: 'cancel';
  /** Cancel working orders with this tag; absent cancels every working order of the strategy. */
  readonly tag?: string;
  readonly reason: string;
}

export type OrderIntent = EntryIntent | ExitIntent | CancelIntent;

/** What the caller tells the strategy about its account at this bar's close. */
export interface StrategyContext {
  /** +1 long, -1 short, 0 flat. */
  readonly positionSide: 1 | -1 | 0;
  /** Absolute units held. */
  readonly positionQty: number;
  /** Average entry price of the open position (NaN when flat). */
  readonly positionEntryPrice: number;
  readonly equity: number;
  readonly cash: number;
  /** Tags of working (unfilled) orders. */
  readonly workingOrderTags: readonly string[];
  /** True when the market and mode allow short positions; strategies must not go short otherwise. */
  readonly shortAllowed: boolean;
}

export interface StepResult<S> {
  readonly state: S;
  readonly intents: readonly OrderIntent[];
}

export interface Strategy<P extends Record<string, unknown>, S> {
  readonly apiVersion: typeof STRATEGY_API_VERSION;
  readonly id: string;
  readonly name: string;
  /** Markdown: rules and params, shown in docs and the site. */
  readonly description: string;
  /** zod schema with defaults for every param; `parse({})` yields the defaults. */
  readonly paramsSchema: z.ZodType<P>;
  /** Bars needed before the first decision can be made. */
  warmup(params: P): number;
  initialState(params: P): S;
  step(state: S, bar: Bar, ctx: StrategyContext, params: P): StepResult<S>;
}

export const NO_INTENTS: readonly OrderIntent[] = Object.freeze([]);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds strategies of every param/state shape
export type AnyStrategy = Strategy<any, any>;
