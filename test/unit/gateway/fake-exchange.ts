/** A scripted exchange for gateway unit tests: trade batches and failures are pushed by the test. */
import { WatchStoppedError, type MarketDataExchange, type TradeBatch } from '../../../shared/adapters/market-data/market-data-exchange';
import type { Bar, Trade } from '../../../shared/market/market-types';
import { TIMEFRAME_MS, type Timeframe } from '../../../shared/market/timeframes';

type Step = { batch: TradeBatch } | { error: Error };

export class FakeExchange implements MarketDataExchange {
  readonly id = 'fake';
  /** The exchange's own bars per timeframe (what fetchOhlcv answers). */
  readonly bars = new Map<Timeframe, Bar[]>();
  readonly fetches: { timeframe: Timeframe; sinceMs: number; limit: number }[] = [];
  readonly unwatched: string[] = [];
  failFetches = 0;
  watchCalls = 0;
  private readonly steps = new Map<string, Step[]>();
  private readonly waiters = new Map<string, { resolve: (b: TradeBatch) => void; reject: (e: Error) => void }>();

  start(): Promise<void> {
    return Promise.resolve();
  }

  push(symbol: string, trades: readonly Trade[], resumed = false): void {
    this.enqueue(symbol, { batch: { trades, resumed } });
  }

  fail(symbol: string, message = 'connection lost'): void {
    this.enqueue(symbol, { error: new Error(message) });
  }

  watchTrades(symbol: string): Promise<TradeBatch> {
    this.watchCalls++;
    const step = this.steps.get(symbol)?.shift();
    if (step) return 'error' in step ? Promise.reject(step.error) : Promise.resolve(step.batch);
    return new Promise((resolve, reject) => this.waiters.set(symbol, { resolve, reject }));
  }

  fetchOhlcv(_symbol: string, timeframe: Timeframe, sinceMs: number, limit: number): Promise<readonly Bar[]> {
    this.fetches.push({ timeframe, sinceMs, limit });
    if (this.failFetches > 0) {
      this.failFetches--;
      return Promise.reject(new Error('REST down'));
    }
    const start = Math.floor(sinceMs / TIMEFRAME_MS[timeframe]) * TIMEFRAME_MS[timeframe];
    return Promise.resolve((this.bars.get(timeframe) ?? []).filter((b) => b.openTimeMs >= start).slice(0, limit));
  }

  unwatchTrades(symbol: string): Promise<void> {
    this.unwatched.push(symbol);
    const waiter = this.waiters.get(symbol);
    this.waiters.delete(symbol);
    waiter?.reject(new WatchStoppedError());
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private enqueue(symbol: string, step: Step): void {
    const waiter = this.waiters.get(symbol);
    if (waiter) {
      this.waiters.delete(symbol);
      if ('error' in step) waiter.reject(step.error);
      else waiter.resolve(step.batch);
      return;
    }
    const list = this.steps.get(symbol) ?? [];
    list.push(step);
    this.steps.set(symbol, list);
  }
}

/** Resolves after pending promise callbacks and timers of `ms` have run. */
export const settle = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await settle(2);
  }
}
