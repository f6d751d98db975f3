import { marketKey } from '../../../../shared/bots/execution-messages';
import { handleMarketOperation, marketsInDemand, type MarketIndexState } from '../../../../shared/bots/market-subscriptions';
import { TENANT } from './execution-sim';

const BTC = marketKey({ exchange: 'sim', symbol: 'SIM-BTC/USD', timeframe: '1m' });
const AAPL = marketKey({ exchange: 'sim', symbol: 'SIM-AAPL', timeframe: '1h' });

function apply(state: MarketIndexState | undefined, key: string, op: string, input: unknown): MarketIndexState {
  const result = handleMarketOperation(state, key, op, input);
  if (!result.ok || !result.value.state) throw new Error('operation failed');
  return result.value.state;
}

describe('marketsInDemand', () => {
  it('lists a market while at least one bot is subscribed, unescaped for the gateway', () => {
    let btc = apply(undefined, BTC, 'subscribe', { tenantId: TENANT, botId: 'b1', connectionId: 'c1' });
    btc = apply(btc, BTC, 'subscribe', { tenantId: TENANT, botId: 'b2', connectionId: 'c1' });
    const aapl = apply(undefined, AAPL, 'subscribe', { tenantId: TENANT, botId: 'b3', connectionId: 'c1' });
    expect(marketsInDemand([{ key: BTC, state: btc }, { key: AAPL, state: aapl }])).toEqual(['sim:SIM-AAPL:1h', 'sim:SIM-BTC/USD:1m']);

    btc = apply(btc, BTC, 'unsubscribe', { tenantId: TENANT, botId: 'b1' });
    expect(marketsInDemand([{ key: BTC, state: btc }])).toEqual(['sim:SIM-BTC/USD:1m']);
    btc = apply(btc, BTC, 'unsubscribe', { tenantId: TENANT, botId: 'b2' });
    expect(marketsInDemand([{ key: BTC, state: btc }, { key: AAPL, state: aapl }])).toEqual(['sim:SIM-AAPL:1h']);
  });

  it('skips entities without state and keys that are not market keys', () => {
    const btc = apply(undefined, BTC, 'subscribe', { tenantId: TENANT, botId: 'b1', connectionId: 'c1' });
    expect(marketsInDemand([{ key: BTC, state: undefined }, { key: 'not-a-market', state: btc }])).toEqual([]);
  });
});
