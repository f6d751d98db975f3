/**
 * Which markets the platform needs besides the configured ones: those running bots trade (the bots
 * layer keeps that index) and those open dashboards watch. Read periodically; a failed read keeps the
 * previous answer, so a Functions hiccup never unsubscribes a running bot's market.
 */
import type { MarketKey } from '../shared/market/market-key.js';

export interface MarketDemandSource {
  readonly name: string;
  list(): Promise<readonly MarketKey[]>;
}
