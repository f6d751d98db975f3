/**
 * An in-memory stand-in for the durable runtime running the three execution entities (market,
 * account, bot) with their real pure handlers: one FIFO of signals, processed in arrival order, each
 * operation's records collected as the entities would write them. Lets unit tests drive whole bots.
 */
import { handleBotOperation, type BotEntityState } from '../../../../shared/bots/bot-operations.js';
import type { BotEquityRecord, BotEvent, BotOrderRecord, BotDocument } from '../../../../shared/bots/bot-records.js';
import { accountEntityKey, botEntityKey, parseTenantKey } from '../../../../shared/bots/entity-keys.js';
import { handleMarketOperation, type MarketIndexState } from '../../../../shared/bots/market-subscriptions.js';
import { handleAccountOperation } from '../../../../shared/paper/account-operations.js';
import type { PaperAccountState } from '../../../../shared/paper/paper-account.js';
import { botLiveUpdate, tenantBotsGroup, type BotLiveUpdate } from '../../../../shared/schemas/bot-live-update.js';
import type { Bar, BarSeries } from '../../../../shared/trading/types.js';

export const TENANT = 'a'.repeat(32);
export const OTHER_TENANT = 'b'.repeat(32);

interface Signal {
  entity: 'bot' | 'account' | 'market';
  key: string;
  op: string;
  input: unknown;
}

export class ExecutionSim {
  readonly bots = new Map<string, BotEntityState>();
  readonly accounts = new Map<string, PaperAccountState>();
  readonly markets = new Map<string, MarketIndexState>();
  readonly events: BotEvent[] = [];
  readonly orders = new Map<string, BotOrderRecord>();
  readonly equity = new Map<string, BotEquityRecord>();
  readonly documents = new Map<string, BotDocument>();
  readonly rejections: { key: string; code: string }[] = [];
  readonly notes: string[] = [];
  readonly queue: Signal[] = [];
  /** What the bot entity would publish, by group, in publish order. */
  readonly liveUpdates: { group: string; update: BotLiveUpdate }[] = [];
  nowMs = 1_700_000_000_000;
  private commandCount = 0;

  signal(entity: Signal['entity'], key: string, op: string, input: unknown): void {
    this.queue.push({ entity, key, op, input });
  }

  /** Sends a command to a bot with a fresh command id and runs everything to quiescence. */
  command(botId: string, op: string, extra: Record<string, unknown> = {}, tenantId = TENANT): void {
    this.commandCount++;
    this.signal('bot', botEntityKey(tenantId, botId), op, { commandId: `cmd-${this.commandCount}`, actor: 'user:test', atMs: this.nowMs, ...extra });
    this.run();
  }

  postBars(market: string, bars: readonly Bar[]): void {
    this.signal('market', market, 'bars', { bars, receivedAtMs: this.nowMs });
    this.run();
  }

  /** Processes signals until none is left; `limit` bounds runaway loops. */
  run(limit = 1_000_000): void {
    let n = 0;
    while (this.queue.length > 0) {
      if (++n > limit) throw new Error('signal loop did not settle');
      this.nowMs += 1;
      this.deliver(this.queue.shift()!);
    }
  }

  /** Processes exactly one queued signal (for tests that interleave). */
  runOne(): boolean {
    const next = this.queue.shift();
    if (!next) return false;
    this.nowMs += 1;
    this.deliver(next);
    return true;
  }

  private deliver(s: Signal): void {
    if (s.entity === 'bot') {
      const key = parseTenantKey(s.key);
      if (!key.ok) throw new Error(key.error.message);
      const result = handleBotOperation(this.bots.get(s.key), { tenantId: key.value.tenantId, botId: key.value.id }, s.op, s.input, this.nowMs);
      if (!result.ok) throw new Error(result.error.message);
      const r = result.value;
      if (r.rejected) this.rejections.push({ key: s.key, code: r.rejected.code });
      for (const e of r.writes.events) {
        if (this.events.some((x) => x.id === e.id && x.tenantId === e.tenantId)) throw new Error(`event id written twice: ${e.id}`);
        this.events.push(e);
      }
      for (const o of r.writes.orders) this.orders.set(o.tenantId === TENANT ? o.id : `${o.tenantId}/${o.id}`, o);
      for (const q of r.writes.equity) this.equity.set(q.tenantId === TENANT ? q.id : `${q.tenantId}/${q.id}`, q);
      if (r.writes.document) this.documents.set(s.key, r.writes.document);
      const update = botLiveUpdate(key.value.id, r.state, r.writes, this.nowMs);
      if (update) this.liveUpdates.push({ group: tenantBotsGroup(key.value.tenantId), update });
      if (r.state) this.bots.set(s.key, r.state);
      else this.bots.delete(s.key);
      for (const out of r.signals) this.signal(out.entity, out.key, out.op, out.input);
      return;
    }
    if (s.entity === 'account') {
      const key = parseTenantKey(s.key);
      if (!key.ok) throw new Error(key.error.message);
      const result = handleAccountOperation(this.accounts.get(s.key), { tenantId: key.value.tenantId, connectionId: key.value.id }, s.op, s.input, this.nowMs);
      if (!result.ok) throw new Error(result.error.message);
      if (result.value.state) this.accounts.set(s.key, result.value.state);
      this.notes.push(...result.value.notes);
      for (const out of result.value.signals) this.signal('bot', botEntityKey(key.value.tenantId, out.botId), out.op, out.input);
      return;
    }
    const result = handleMarketOperation(this.markets.get(s.key), s.key, s.op, s.input);
    if (!result.ok) throw new Error(result.error.message);
    if (result.value.state) this.markets.set(s.key, result.value.state);
    for (const out of result.value.signals) this.signal('account', out.accountKey, 'bars', out.input);
  }

  bot(botId: string, tenantId = TENANT): BotEntityState {
    const state = this.bots.get(botEntityKey(tenantId, botId));
    if (!state) throw new Error(`no bot ${botId}`);
    return state;
  }

  account(connectionId: string, tenantId = TENANT): PaperAccountState {
    const state = this.accounts.get(accountEntityKey(tenantId, connectionId));
    if (!state) throw new Error(`no account ${connectionId}`);
    return state;
  }

  eventsOf(botId: string, type?: string, tenantId = TENANT): BotEvent[] {
    return this.events.filter((e) => e.tenantId === tenantId && e.botId === botId && (type === undefined || e.type === type));
  }
}

export function paperConnection(amount = 10_000, execution: Record<string, number> = {}) {
  return { exchangeId: 'paper', mode: 'paper', paper: { startingBalance: { currency: 'USD', amount }, ...execution } };
}

export function botConfig(overrides: Record<string, unknown> = {}) {
  return {
    name: 'test bot',
    connectionId: 'conn1',
    market: { exchange: 'paper', symbol: 'GOOG', timeframe: '1d' },
    strategy: { id: 'sma-cross', params: { fast: 10, slow: 30 } },
    ...overrides,
  };
}

export function seriesBars(series: BarSeries, from = 0, to = series.length): Bar[] {
  const bars: Bar[] = [];
  for (let i = from; i < to; i++) {
    bars.push({ timeMs: series.timeMs[i]!, open: series.open[i]!, high: series.high[i]!, low: series.low[i]!, close: series.close[i]!, volume: series.volume[i]! });
  }
  return bars;
}

export function sliceSeries(series: BarSeries, from: number, to: number): BarSeries {
  return {
    length: to - from,
    timeMs: series.timeMs.slice(from, to),
    open: series.open.slice(from, to),
    high: series.high.slice(from, to),
    low: series.low.slice(from, to),
    close: series.close.slice(from, to),
    volume: series.volume.slice(from, to),
  };
}
