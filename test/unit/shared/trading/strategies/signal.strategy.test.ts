import { getStrategy, parseStrategyParams, STRATEGY_IDS } from '../../../../../shared/trading/strategies/registry.js';
import { signalStrategy } from '../../../../../shared/trading/strategies/signal.strategy.js';
import { readReferenceBars } from './strategy-test-kit.js';

describe('signal strategy', () => {
  it('is found by id without joining the list of bar strategies', () => {
    const found = getStrategy('signal');
    expect(found.ok && found.value).toBe(signalStrategy);
    expect(STRATEGY_IDS).not.toContain('signal');
  });

  it('defaults reverseOnOpposite to false and refuses unknown params', () => {
    expect(parseStrategyParams(signalStrategy, {})).toEqual({ ok: true, value: { reverseOnOpposite: false } });
    expect(parseStrategyParams(signalStrategy, { reverseOnOpposite: true })).toEqual({ ok: true, value: { reverseOnOpposite: true } });
    expect(parseStrategyParams(signalStrategy, { fast: 5 }).ok).toBe(false);
  });

  it('emits no intents on bars and keeps a JSON state', () => {
    const params = signalStrategy.paramsSchema.parse({});
    let state = signalStrategy.initialState(params);
    const ctx = { positionSide: 0 as const, positionQty: 0, positionEntryPrice: NaN, equity: 1e4, cash: 1e4, workingOrderTags: [], shortAllowed: true };
    for (const bar of readReferenceBars('GOOG').slice(0, 200)) {
      const result = signalStrategy.step(JSON.parse(JSON.stringify(state)) as typeof state, bar, ctx, params);
      expect(result.intents).toHaveLength(0);
      state = result.state;
    }
    expect(state).toEqual({ bars: 200 });
    expect(signalStrategy.description).toContain('| `reverseOnOpposite` | false |');
  });
});
