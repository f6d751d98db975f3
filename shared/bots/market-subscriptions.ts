/**
 * The market → subscribers index, held by one `market` entity per market key. Bots subscribe when
 * they start and unsubscribe when they stop, through the same exactly-once signal stream as their
 * other operations, so the index cannot disagree with the bots' states after a crash (a Cosmos index
 * written beside an entity signal could). The internal bars endpoint signals the market entity,
 * which forwards the bars once to each subscribed account: no cross-tenant query on the hot path.
 */
import { z } from 'zod';
import { appError, err, ok, type Result } from '../core/result.js';
import { accountEntityKey, botEntityKey } from './entity-keys.js';
import { barSchema, parseMarketEntityKey } from './execution-messages.js';

export interface MarketSubscriber {
  readonly tenantId: string;
  readonly botId: string;
  readonly connectionId: string;
}

export interface MarketIndexState {
  readonly v: 1;
  /** By bot entity key. */
  readonly subscribers: Readonly<Record<string, MarketSubscriber>>;
  readonly lastBarTimeMs: number | null;
  readonly barsReceived: number;
}

const subscriberSchema = z.object({
  tenantId: z.string().regex(/^[0-9a-f]{32}$/),
  botId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  connectionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
});

export const marketOperationSchemas = {
  subscribe: subscriberSchema,
  unsubscribe: subscriberSchema.pick({ tenantId: true, botId: true }),
  bars: z.object({ bars: z.array(barSchema).min(1).max(5000), receivedAtMs: z.number().int().nonnegative() }),
} as const;

/**
 * The markets running bots need, as the market-data gateway reads them (`{exchange}:{symbol}:{timeframe}`,
 * unescaped), from market entity states: a market is needed while at least one bot is subscribed.
 */
export function marketsInDemand(entities: readonly { readonly key: string; readonly state: unknown }[]): string[] {
  const needed = new Set<string>();
  for (const entity of entities) {
    const state = entity.state as Partial<MarketIndexState> | undefined;
    if (!state?.subscribers || Object.keys(state.subscribers).length === 0) continue;
    const market = parseMarketEntityKey(entity.key);
    if (market) needed.add(`${market.exchange}:${market.symbol}:${market.timeframe}`);
  }
  return [...needed].sort();
}

export interface MarketSignal {
  readonly accountKey: string;
  readonly input: { readonly market: string; readonly bars: readonly z.infer<typeof barSchema>[]; readonly receivedAtMs: number };
}

export function handleMarketOperation(
  current: MarketIndexState | undefined,
  market: string,
  operation: string,
  rawInput: unknown,
): Result<{ state: MarketIndexState | null; signals: readonly MarketSignal[] }> {
  const state: MarketIndexState = current ?? { v: 1, subscribers: {}, lastBarTimeMs: null, barsReceived: 0 };
  switch (operation) {
    case 'subscribe': {
      const input = marketOperationSchemas.subscribe.safeParse(rawInput);
      if (!input.success) return err(appError('MARKET.INVALID_INPUT', `market.subscribe: ${input.error.message}`));
      return ok({ state: { ...state, subscribers: { ...state.subscribers, [botEntityKey(input.data.tenantId, input.data.botId)]: input.data } }, signals: [] });
    }
    case 'unsubscribe': {
      const input = marketOperationSchemas.unsubscribe.safeParse(rawInput);
      if (!input.success) return err(appError('MARKET.INVALID_INPUT', `market.unsubscribe: ${input.error.message}`));
      const subscribers = { ...state.subscribers };
      delete subscribers[botEntityKey(input.data.tenantId, input.data.botId)];
      return ok({ state: { ...state, subscribers }, signals: [] });
    }
    case 'bars': {
      const input = marketOperationSchemas.bars.safeParse(rawInput);
      if (!input.success) return err(appError('MARKET.INVALID_INPUT', `market.bars: ${input.error.message}`));
      // One signal per account, however many of its bots trade this market; accounts drop bars they have seen.
      const accounts = new Set(Object.values(state.subscribers).map((s) => accountEntityKey(s.tenantId, s.connectionId)));
      const newest = Math.max(...input.data.bars.map((b) => b.timeMs));
      const signals = [...accounts].sort().map((accountKey) => ({ accountKey, input: { market, bars: input.data.bars, receivedAtMs: input.data.receivedAtMs } }));
      return ok({
        state: { ...state, lastBarTimeMs: Math.max(state.lastBarTimeMs ?? newest, newest), barsReceived: state.barsReceived + input.data.bars.length },
        signals,
      });
    }
    default:
      return err(appError('MARKET.UNKNOWN_OPERATION', `market: unknown operation "${operation}".`));
  }
}
