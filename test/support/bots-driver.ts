/**
 * Drives the execution layer of a running local host the way the bots API will: commands are signals
 * to the bot entity through the durable HTTP API, bars go through POST /api/internal/bars, state is
 * read back through the durable HTTP API and records from the host's Cosmos emulator.
 */
import { randomUUID } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import type { BotEntityState } from '../../shared/bots/bot-operations';
import type { BotEvent } from '../../shared/bots/bot-records';
import type { PaperAccountState } from '../../shared/paper/paper-account';
import type { Bar, BarSeries } from '../../shared/trading/types';
import { hostCosmosClient } from './api-client';
import { eventually, type LocalHost } from './local-host';

export class BotsDriver {
  constructor(private readonly host: LocalHost) {}

  private entityUrl(name: string, key: string): string {
    return `${this.host.baseUrl}/runtime/webhooks/durabletask/entities/${name}/${encodeURIComponent(key)}`;
  }

  async signal(name: string, key: string, op: string, input: unknown): Promise<void> {
    const res = await fetch(`${this.entityUrl(name, key)}?op=${op}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    if (res.status !== 202) throw new Error(`signal ${name}/${key}?op=${op}: ${res.status} ${await res.text()}`);
  }

  async command(tenantId: string, botId: string, op: string, extra: Record<string, unknown> = {}): Promise<void> {
    await this.signal('bot', `${tenantId}:${botId}`, op, { commandId: randomUUID(), actor: 'user:it', atMs: Date.now(), ...extra });
  }

  async state<T>(name: string, key: string): Promise<T | undefined> {
    const res = await fetch(this.entityUrl(name, key));
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`read ${name}/${key}: ${res.status}`);
    return (await res.json()) as T;
  }

  bot(tenantId: string, botId: string): Promise<BotEntityState | undefined> {
    return this.state<BotEntityState>('bot', `${tenantId}:${botId}`);
  }

  account(tenantId: string, connectionId: string): Promise<PaperAccountState | undefined> {
    return this.state<PaperAccountState>('account', `${tenantId}:${connectionId}`);
  }

  postBars(market: { exchange: string; symbol: string; timeframe: string }, bars: readonly Bar[], key = this.host.functionKey): Promise<Response> {
    return fetch(`${this.host.baseUrl}/api/internal/bars`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': key },
      body: JSON.stringify({ ...market, bars }),
    });
  }

  /** Waits until the bot has processed the bar at `timeMs` (and its account is idle for that market). */
  async waitForBar(tenantId: string, botId: string, timeMs: number, timeoutMs = 60_000): Promise<BotEntityState> {
    return eventually(async () => {
      const state = await this.bot(tenantId, botId);
      return state && state.runner.lastBarTimeMs !== null && state.runner.lastBarTimeMs >= timeMs ? state : undefined;
    }, timeoutMs, 50);
  }

  container(name: string): Container {
    return hostCosmosClient(this.host).database('tradingtower').container(name);
  }

  async events(tenantId: string, botId: string, type?: string): Promise<BotEvent[]> {
    const { resources } = await this.container('botEvents')
      .items.query<BotEvent>(
        {
          query: `SELECT * FROM c WHERE c.botId = @botId${type ? ' AND c.type = @type' : ''} ORDER BY c.seq`,
          parameters: [{ name: '@botId', value: botId }, ...(type ? [{ name: '@type', value: type }] : [])],
        },
        { partitionKey: [tenantId, botId] },
      )
      .fetchAll();
    return resources;
  }

  async count(container: string, tenantId: string, botId: string): Promise<number> {
    const { resources } = await this.container(container)
      .items.query<number>({ query: 'SELECT VALUE COUNT(1) FROM c WHERE c.botId = @botId', parameters: [{ name: '@botId', value: botId }] }, { partitionKey: [tenantId, botId] })
      .fetchAll();
    return resources[0] ?? 0;
  }
}

export function barsOf(series: BarSeries, from: number, to: number): Bar[] {
  const bars: Bar[] = [];
  for (let i = from; i < to; i++) bars.push({ timeMs: series.timeMs[i]!, open: series.open[i]!, high: series.high[i]!, low: series.low[i]!, close: series.close[i]!, volume: series.volume[i]! });
  return bars;
}
