/**
 * Helpers for the bots API integration tests: everything goes through the public HTTP API (and bars
 * through POST /api/internal/bars with the function key), so the tests see what a client sees.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiClient, ApiResponse } from '../support/api-client';
import { eventually, type LocalHost } from '../support/local-host';

export const STATES = ['draft', 'running', 'paused', 'halted', 'stopping', 'stopped', 'faulted'] as const;
export type State = (typeof STATES)[number];
export const COMMANDS = ['start', 'pause', 'resume', 'stop', 'kill'] as const;
export type Command = (typeof COMMANDS)[number];

export interface BotBody {
  id: string;
  name: string;
  status: State;
  configVersion: number;
  runningConfigVersion: number | null;
  etag: string;
  strategy: { id: string; params: Record<string, unknown> };
  risk: Record<string, number | null>;
  reason: { code: string; message: string } | null;
  runtime: { barsProcessed: number; position: { side: string; quantity: number } | null; openOrders: number } | null;
}

export interface CommandBody {
  commandId: string;
  applied: boolean;
  bot: BotBody;
}

export interface EventBody {
  id: string;
  seq: number;
  type: string;
  atMs: number;
  message: string;
  code: string | null;
  data: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  continuationToken: string | null;
}

export async function paperConnection(client: ApiClient, label = 'Paper'): Promise<string> {
  const res = await client.post<{ id: string }>('/api/connections', { body: { exchangeId: 'paper', label, mode: 'paper' } });
  if (res.status !== 201) throw new Error(`connection: ${res.status} ${res.text}`);
  return res.body.id;
}

export function botConfig(connectionId: string, symbol: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: `bot on ${symbol}`, connectionId, market: { exchange: 'paper', symbol, timeframe: '1d' }, strategy: { id: 'sma-cross', params: { fast: 2, slow: 3 } }, ...overrides };
}

export async function createBot(client: ApiClient, connectionId: string, symbol = 'IDLE', overrides: Record<string, unknown> = {}): Promise<BotBody> {
  const res = await client.post<BotBody>('/api/bots', { body: botConfig(connectionId, symbol, overrides) });
  if (res.status !== 201) throw new Error(`create bot: ${res.status} ${res.text}`);
  return res.body;
}

export function sendCommand(client: ApiClient, botId: string, command: Command, closePosition = false): Promise<ApiResponse<CommandBody>> {
  return client.post<CommandBody>(`/api/bots/${botId}/${command}`, command === 'stop' ? { body: { closePosition } } : {});
}

/** Sends a command that must be applied; answers the bot after it. */
export async function mustCommand(client: ApiClient, botId: string, command: Command, closePosition = false): Promise<BotBody> {
  const res = await sendCommand(client, botId, command, closePosition);
  if (res.status !== 202 || !res.body.applied) throw new Error(`${command} ${botId}: ${res.status} ${res.text}`);
  return res.body.bot;
}

export async function getBot(client: ApiClient, botId: string): Promise<BotBody> {
  const res = await client.get<BotBody>(`/api/bots/${botId}`);
  if (res.status !== 200) throw new Error(`get ${botId}: ${res.status} ${res.text}`);
  return res.body;
}

/** Every item of a paged list, following continuation tokens. */
export async function allPages<T>(client: ApiClient, path: string, limit = 100): Promise<T[]> {
  const items: T[] = [];
  let token: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: ApiResponse<Page<T>> = await client.get<Page<T>>(`${path}${sep}limit=${limit}${token ? `&continuation=${token}` : ''}`);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
    items.push(...res.body.items);
    token = res.body.continuationToken;
  } while (token !== null);
  return items;
}

export const events = (client: ApiClient, botId: string, type?: string): Promise<EventBody[]> =>
  allPages<EventBody>(client, `/api/bots/${botId}/events${type ? `?type=${type}` : ''}`);

/** Daily bars from `closes`, starting at `startDay` days after 2024-01-01. */
export function dailyBars(closes: readonly number[], startDay = 0): { timeMs: number; open: number; high: number; low: number; close: number; volume: number }[] {
  return closes.map((c, i) => ({ timeMs: Date.UTC(2024, 0, 1 + startDay + i), open: c, high: c + 1, low: c - 1, close: c, volume: 1_000_000 }));
}

/** A dip then a rise: SMA(2) crosses above SMA(3) and sma-cross goes long (filled at the next open). */
export const CROSS_UP_CLOSES = [100, 98, 96, 94, 92, 95, 99, 104, 110, 115];

export async function postBars(host: LocalHost, symbol: string, bars: ReturnType<typeof dailyBars>): Promise<void> {
  const res = await fetch(`${host.baseUrl}/api/internal/bars`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': host.functionKey },
    body: JSON.stringify({ exchange: 'paper', symbol, timeframe: '1d', bars }),
  });
  if (res.status !== 202) throw new Error(`bars: ${res.status} ${await res.text()}`);
}

/** Waits until the bot has processed `count` bars in all. */
export function waitForBars(client: ApiClient, botId: string, count: number): Promise<BotBody> {
  return eventually(async () => {
    const bot = await getBot(client, botId);
    return bot.runtime && bot.runtime.barsProcessed >= count ? bot : undefined;
  }, 30_000);
}

/**
 * Rewrites bot entity states in a stopped host's durable snapshot (the only way a test can put a bot
 * into `faulted`: only a throwing strategy faults a bot). The host must have been stopped cleanly,
 * which folds the journal into the snapshot.
 */
export function plantBotStates(dataDir: string, tenantId: string, change: Record<string, (state: Record<string, unknown>) => Record<string, unknown>>): void {
  const file = join(dataDir, 'durable', 'snapshot.json');
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as { entities: { name: string; key: string; state?: string }[] };
  let changed = 0;
  for (const entity of snapshot.entities) {
    const botId = entity.key.slice(tenantId.length + 1);
    const edit = entity.name === 'bot' && entity.key.startsWith(`${tenantId}:`) ? change[botId] : undefined;
    if (!edit || entity.state === undefined) continue;
    entity.state = JSON.stringify(edit(JSON.parse(entity.state) as Record<string, unknown>));
    changed++;
  }
  if (changed !== Object.keys(change).length) throw new Error(`planted ${changed} of ${Object.keys(change).length} bot states`);
  writeFileSync(file, JSON.stringify(snapshot));
}
