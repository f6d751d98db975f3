/** Durable entity names shared by the functions (clients) and durable (handlers) deployables. */
export const ENTITY = {
  healthProbe: 'healthprobe',
  /** One per bot, key `{tenantId}:{botId}`: lifecycle state machine, strategy state, orders (docs/bots.md). */
  bot: 'bot',
  /** One per exchange connection, key `{tenantId}:{connectionId}`: serializes its orders; the paper exchange's books. */
  account: 'account',
  /** One per market, key `{exchange}:{symbol}:{timeframe}`: which bots trade it (fan-out of closed bars). */
  market: 'market',
} as const;

export const HEALTH_PROBE_KEY = 'host';

export interface HealthProbeState {
  pings: number;
  lastPingMs: number | null;
}
