/**
 * Live updates over Web PubSub: GET /api/negotiate gives a client URL whose token may only join the
 * tenant's groups and the public market groups; the browser speaks the `json.webpubsub.azure.v1`
 * subprotocol directly (a few frames, no SDK in the bundle). Anything that fails leaves the page on
 * its polling, and the page says which one it is on.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BotLiveMessage, BotLiveUpdate } from '../../../shared/schemas/bot-live-update.js';
import { api } from './api.js';

export interface Negotiated {
  readonly url: string;
  readonly hub: string;
  readonly expiresAtMs: number;
  readonly groups: { readonly bots: string; readonly tenantPrefix: string; readonly marketPrefix: string };
}

export type LiveState = 'connecting' | 'live' | 'off';

/** The public group of a market's ticks (as the gateway names it). */
export const marketGroupName = (n: Negotiated, exchange: string, symbol: string): string => `${n.groups.marketPrefix}${exchange}.${symbol.replaceAll('/', '_')}`;

/** The bot updates in a message of the tenant's bots group (none for anything else). */
export function botUpdatesIn(data: unknown): readonly BotLiveUpdate[] {
  const message = data as Partial<BotLiveMessage> | null;
  return message?.type === 'bot.updates' && Array.isArray(message.updates) ? (message.updates as readonly BotLiveUpdate[]) : [];
}

const RETRY_MS = 5_000;
const MAX_RETRIES = 3;

export function useLive(enabled: boolean, groupsFor: (n: Negotiated) => readonly string[], onMessage: (group: string | null, data: unknown) => void): LiveState {
  const [state, setState] = useState<LiveState>('off');
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const groups = useRef(groupsFor);
  groups.current = groupsFor;

  useEffect(() => {
    if (!enabled || typeof WebSocket === 'undefined') return;
    let socket: WebSocket | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let retries = 0;
    const connect = (): void => {
      setState('connecting');
      api.get<Negotiated>('/api/negotiate').then(
        (n) => {
          if (stopped) return;
          const ws = new WebSocket(n.url, 'json.webpubsub.azure.v1');
          socket = ws;
          ws.onopen = () => {
            retries = 0;
            groups.current(n).forEach((group, i) => ws.send(JSON.stringify({ type: 'joinGroup', group, ackId: i + 1 })));
            setState('live');
          };
          ws.onmessage = (e: MessageEvent<string>) => {
            try {
              // Messages the service's REST API sends to a group arrive `from: 'server'` without the
              // group's name (client-published ones carry `from: 'group'` and `group`).
              const frame = JSON.parse(e.data) as { type?: string; from?: string; group?: string; data?: unknown };
              if (frame.type === 'message' && (frame.from === 'server' || frame.from === 'group')) handler.current(frame.group ?? null, frame.data);
            } catch {
              // not a frame of this subprotocol: ignore
            }
          };
          ws.onclose = () => retry();
        },
        () => retry(),
      );
    };
    const retry = (): void => {
      setState('off');
      if (stopped || retries >= MAX_RETRIES) return;
      retries++;
      timer = setTimeout(connect, RETRY_MS);
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, [enabled]);

  return state;
}
