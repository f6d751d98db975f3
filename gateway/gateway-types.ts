/** The gateway's public shape, shared by start-gateway.ts (which builds it) and gateway-http.ts (which serves it). */
import type { MarketKey } from '../shared/market/market-key.js';
import type { GatewayMetricsSnapshot } from './gateway-metrics.js';
import type { MarketFeed } from './market-feed.js';

export type MarketSource = 'config' | 'control' | 'demand';

export interface MarketListing {
  readonly market: MarketKey;
  readonly group: string;
  readonly sources: readonly MarketSource[];
  readonly state: string;
  readonly lastError: string | undefined;
}

export interface RemoveOutcome {
  readonly removed: readonly MarketKey[];
  /** Still needed by the configuration or a running bot, so still watched. */
  readonly kept: readonly MarketKey[];
}

export interface Gateway {
  /** `http://host:port` of the health/metrics/control server. */
  readonly url: string;
  readonly port: number;
  listMarkets(): MarketListing[];
  addMarkets(markets: readonly MarketKey[]): Promise<void>;
  removeMarkets(markets: readonly MarketKey[]): Promise<RemoveOutcome>;
  refreshDemand(): Promise<void>;
  metrics(): GatewayMetricsSnapshot;
  health(): { status: 'up' | 'degraded'; [key: string]: unknown };
  feed(market: MarketKey): MarketFeed | undefined;
  /** Resolves when no bar delivery is pending. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}
