/**
 * Test support for the strategy suites: tiny bar builders, a minimal paper account that fills the
 * strategies' intents the way the engine does (market at the next open; a limit once the bar trades
 * through it, at its price or at the open when gapped through; exits belong to the position they were
 * placed for), and a runner that records which intents fire at which bar.
 *
 * The account is deliberately simple (no fees, no lots, no attached stops): strategy tests are about
 * when a strategy decides what, not about accounting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bar } from '../../../../../shared/trading/types.js';
import type {
  AnyStrategy,
  EntryIntent,
  ExitIntent,
  OrderIntent,
  StrategyContext,
} from '../../../../../shared/trading/strategies/strategy.js';

const DAY_MS = 86_400_000;

/** Bars whose open, high, low and close all equal the given close. */
export function closeBars(closes: readonly number[]): Bar[] {
  return closes.map((c, i) => ({ timeMs: i * DAY_MS, open: c, high: c, low: c, close: c, volume: 1 }));
}

/** Bars from [open, high, low, close] quadruples. */
export function ohlcBars(rows: readonly (readonly [number, number, number, number])[]): Bar[] {
  return rows.map(([open, high, low, close], i) => ({ timeMs: i * DAY_MS, open, high, low, close, volume: 1 }));
}

export function flatContext(overrides: Partial<StrategyContext> = {}): StrategyContext {
  return {
    positionSide: 0,
    positionQty: 0,
    positionEntryPrice: NaN,
    equity: 10_000,
    cash: 10_000,
    workingOrderTags: [],
    shortAllowed: true,
    ...overrides,
  };
}

interface WorkingOrder {
  readonly intent: EntryIntent | ExitIntent;
  /** Exits apply only to the position open when they were placed. */
  readonly epoch: number;
}

/** A net-position paper account: one position, adding on same-side entries, reversing on opposite ones. */
export class PaperAccount {
  side: 1 | -1 | 0 = 0;
  qty = 0;
  entryPrice = NaN;
  cash: number;
  private lastClose = NaN;
  private market: (EntryIntent | ExitIntent)[] = [];
  private working: WorkingOrder[] = [];
  private epoch = 0;
  readonly fills: { bar: number; price: number; signedQty: number; tag: string | undefined }[] = [];

  constructor(cash = 10_000) {
    this.cash = cash;
  }

  context(shortAllowed: boolean): StrategyContext {
    return {
      positionSide: this.side,
      positionQty: this.qty,
      positionEntryPrice: this.side === 0 ? NaN : this.entryPrice,
      equity: this.equity(),
      cash: this.cash,
      workingOrderTags: this.working.map((w) => w.intent.tag ?? ''),
      shortAllowed,
    };
  }

  equity(): number {
    return this.side === 0 ? this.cash : this.cash + this.side * this.qty * this.lastClose;
  }

  submit(intents: readonly OrderIntent[]): void {
    for (const intent of intents) {
      if (intent.kind === 'cancel') {
        this.working = this.working.filter((w) => intent.tag !== undefined && w.intent.tag !== intent.tag);
      } else if (intent.kind === 'exit' && this.side === 0) {
        continue; // nothing to exit
      } else if (intent.type === 'market') {
        this.market.push(intent);
      } else {
        this.working.push({ intent, epoch: this.epoch });
      }
    }
  }

  /** Fills what this bar reaches: market orders at the open, then working limits in submission order. */
  processBar(bar: Bar, barIndex: number): void {
    for (const intent of this.market) this.fill(intent, bar.open, barIndex);
    this.market = [];
    const still: WorkingOrder[] = [];
    for (const w of this.working) {
      if (w.intent.kind === 'exit' && (this.side === 0 || w.epoch !== this.epoch)) continue; // its position is gone
      const price = this.limitFillPrice(w.intent, bar);
      if (price === undefined) still.push(w);
      else this.fill(w.intent, price, barIndex);
    }
    this.working = still;
    this.lastClose = bar.close;
  }

  private buys(intent: EntryIntent | ExitIntent): boolean {
    return intent.kind === 'entry' ? intent.side === 'long' : this.side === -1;
  }

  private limitFillPrice(intent: EntryIntent | ExitIntent, bar: Bar): number | undefined {
    const price = intent.price!;
    if (this.buys(intent)) return bar.low < price ? Math.min(bar.open, price) : undefined;
    return bar.high > price ? Math.max(bar.open, price) : undefined;
  }

  private fill(intent: EntryIntent | ExitIntent, price: number, barIndex: number): void {
    if (intent.kind === 'exit') {
      if (this.side === 0) return;
      const q = Math.min(intent.quantity ?? this.qty, this.qty);
      this.trade(-this.side * q, price, barIndex, intent.tag);
      return;
    }
    const dir = intent.side === 'long' ? 1 : -1;
    if (this.side === -dir) this.trade(-this.side * this.qty, price, barIndex, intent.tag);
    const sizing = intent.sizing;
    const q =
      sizing === undefined ? this.cash / price
      : sizing.mode === 'quantity' ? sizing.value
      : sizing.mode === 'notional' ? sizing.value / price
      : (sizing.value * this.equity()) / price;
    this.trade(dir * q, price, barIndex, intent.tag);
  }

  private trade(signedQty: number, price: number, barIndex: number, tag: string | undefined): void {
    this.fills.push({ bar: barIndex, price, signedQty, tag });
    const signedBefore = this.side * this.qty;
    const signedAfter = signedBefore + signedQty;
    this.cash -= signedQty * price;
    if (signedBefore !== 0 && Math.sign(signedQty) === Math.sign(signedBefore)) {
      this.entryPrice = (this.entryPrice * Math.abs(signedBefore) + price * Math.abs(signedQty)) / Math.abs(signedAfter);
    } else if (signedBefore === 0) {
      this.entryPrice = price;
      this.epoch++;
    }
    this.qty = Math.abs(signedAfter) < 1e-12 ? 0 : Math.abs(signedAfter);
    this.side = this.qty === 0 ? 0 : signedAfter > 0 ? 1 : -1;
    if (this.side === 0) this.entryPrice = NaN;
  }
}

export interface Signal {
  readonly bar: number;
  readonly intents: readonly OrderIntent[];
}

export interface RunOptions {
  readonly shortAllowed?: boolean;
  /** Replace the state by its JSON round trip just before stepping this bar. */
  readonly roundTripAt?: number;
  readonly cash?: number;
}

/** Steps a strategy through bars with a paper account; returns every non-empty step and the account. */
export function runStrategy(
  strategy: AnyStrategy,
  rawParams: Record<string, unknown>,
  bars: readonly Bar[],
  options: RunOptions = {},
): { signals: Signal[]; account: PaperAccount } {
  const params: unknown = strategy.paramsSchema.parse(rawParams);
  const account = new PaperAccount(options.cash);
  let state: unknown = strategy.initialState(params);
  const signals: Signal[] = [];
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    account.processBar(bar, i);
    if (i === options.roundTripAt) state = JSON.parse(JSON.stringify(state));
    const result = strategy.step(state, bar, account.context(options.shortAllowed ?? true), params);
    state = result.state;
    if (result.intents.length > 0) {
      signals.push({ bar: i, intents: result.intents });
      account.submit(result.intents);
    }
  }
  return { signals, account };
}

/** A compact, readable rendering of an intent for exact assertions. */
export function describeIntent(intent: OrderIntent): string {
  if (intent.kind === 'cancel') return `cancel ${intent.tag ?? '*'}`;
  const price = intent.price === undefined ? '' : `@${round(intent.price)}`;
  const tag = intent.tag === undefined ? '' : ` [${intent.tag}]`;
  if (intent.kind === 'exit') {
    const qty = intent.quantity === undefined ? '' : ` ${round(intent.quantity)}`;
    return `exit ${intent.type}${price}${qty}${tag}`;
  }
  const stop = intent.stopLoss === undefined ? '' : ` sl=${round(intent.stopLoss)}`;
  return `${intent.side} ${intent.type}${price}${stop}${tag}`;
}

/** Signals as `bar: intent, intent` strings. */
export function summarize(signals: readonly Signal[]): string[] {
  return signals.map((s) => `${s.bar}: ${s.intents.map(describeIntent).join(', ')}`);
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

const DATA_DIR = join(__dirname, '../../../../../../shared/data');

/** Reads a reference file (`,Open,High,Low,Close,Volume`, clean) as bars. */
export function readReferenceBars(name: 'GOOG' | 'EURUSD' | 'BTCUSD'): Bar[] {
  const lines = readFileSync(join(DATA_DIR, `${name}.csv`), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const f = line.split(',');
    return {
      timeMs: Date.parse(f[0]!.includes(' ') ? `${f[0]!.replace(' ', 'T')}Z` : `${f[0]!}T00:00:00Z`),
      open: Number(f[1]),
      high: Number(f[2]),
      low: Number(f[3]),
      close: Number(f[4]),
      volume: Number(f[5]),
    };
  });
}

/** Every intent the strategy emits on a data set, for property checks. */
export function allIntents(
  strategy: AnyStrategy,
  rawParams: Record<string, unknown>,
  bars: readonly Bar[],
  shortAllowed: boolean,
): OrderIntent[] {
  return runStrategy(strategy, rawParams, bars, { shortAllowed }).signals.flatMap((s) => s.intents);
}

/** The runner's signals with the state JSON round-tripped before bar k equal the uninterrupted ones. */
export function roundTripMismatches(
  strategy: AnyStrategy,
  rawParams: Record<string, unknown>,
  bars: readonly Bar[],
  shortAllowed = true,
): number[] {
  const reference = JSON.stringify(runStrategy(strategy, rawParams, bars, { shortAllowed }).signals);
  const bad: number[] = [];
  for (let k = 0; k < bars.length; k++) {
    const restored = JSON.stringify(runStrategy(strategy, rawParams, bars, { shortAllowed, roundTripAt: k }).signals);
    if (restored !== reference) bad.push(k);
  }
  return bad;
}
