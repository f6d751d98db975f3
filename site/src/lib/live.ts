/**
 * Live updates over Web PubSub: GET /api/negotiate gives a client URL whose token may only join the
 * tenant's groups and the public market groups; `@azure/web-pubsub-client` (loaded on demand, its
 * default reliable protocol: messages missed during a short drop are recovered) connects, joins and
 * reconnects, negotiating again when it needs a new connection. Anything that fails for good leaves
 * the page on its polling, and the page says which one it is on.
 */
import type { WebPubSubClient } from '@azure/web-pubsub-client';
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

export function useLive(enabled: boolean, groupsFor: (n: Negotiated) => readonly string[], onMessage: (group: string | null, data: unknown) => void): LiveState {
  const [state, setState] = useState<LiveState>('off');
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const groups = useRef(groupsFor);
  groups.current = groupsFor;

  useEffect(() => {
    if (!enabled || typeof WebSocket === 'undefined') return;
    let stopped = false;
    let client: WebPubSubClient | undefined;
    setState('connecting');
    (async () => {
      // Loaded only by pages that go live, so the first page load stays small.
      const { WebPubSubClient } = await import('@azure/web-pubsub-client');
      let negotiated: Negotiated | undefined;
      // The SDK negotiates again by itself whenever it reconnects with a fresh connection.
      const live = new WebPubSubClient({ getClientAccessUrl: async () => (negotiated = await api.get<Negotiated>('/api/negotiate')).url }, { autoRejoinGroups: true });
      client = live;
      // Messages the service's REST API sends to a group arrive as server messages, without the group's name.
      live.on('server-message', (e) => handler.current(null, e.message.data));
      live.on('group-message', (e) => handler.current(e.message.group, e.message.data));
      live.on('connected', () => !stopped && setState('live'));
      live.on('disconnected', () => !stopped && setState('connecting'));
      live.on('stopped', () => !stopped && setState('off'));
      if (stopped) return;
      await live.start();
      for (const group of groups.current(negotiated!)) await live.joinGroup(group);
      if (!stopped) setState('live');
    })().catch(() => {
      // Negotiate refused (no Web PubSub here) or the socket failed for good: the page keeps polling.
      if (!stopped) setState('off');
      client?.stop();
    });
    return () => {
      stopped = true;
      client?.stop();
    };
  }, [enabled]);

  return state;
}
