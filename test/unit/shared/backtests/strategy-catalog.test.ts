import { paramMeanings, strategyCatalog, titleOf } from '../../../../shared/backtests/strategy-catalog';
import { STRATEGIES } from '../../../../shared/trading/strategies/registry';

describe('strategyCatalog', () => {
  it('describes every strategy with its defaults and a JSON Schema property for each param', () => {
    const catalog = strategyCatalog();
    expect(catalog.map((s) => s.id)).toEqual(STRATEGIES.map((s) => s.id));
    for (const view of catalog) {
      const strategy = STRATEGIES.find((s) => s.id === view.id)!;
      expect(view.defaults).toEqual(strategy.paramsSchema.parse({}));
      expect(Object.keys(view.paramsSchema.properties).sort()).toEqual(Object.keys(view.defaults).sort());
      for (const [name, prop] of Object.entries(view.paramsSchema.properties)) {
        expect({ name, default: prop.default }).toEqual({ name, default: view.defaults[name] });
        expect({ name, described: typeof prop.description === 'string' && prop.description.length > 0 }).toEqual({ name, described: true });
      }
      expect(view.warmupBars).toBe(strategy.warmup(view.defaults));
    }
  });

  it('drops the "no upper bound" maximum zod writes for integers and keeps real bounds', () => {
    const sma = strategyCatalog().find((s) => s.id === 'sma-cross')!;
    expect(sma.paramsSchema.properties.fast).toEqual({ type: 'integer', minimum: 1, default: 10, title: 'Fast', description: 'fast SMA period (bars)' });
    const rsi = strategyCatalog().find((s) => s.id === 'rsi-reversion')!;
    expect(rsi.paramsSchema.properties.oversold).toMatchObject({ exclusiveMinimum: 0, exclusiveMaximum: 100 });
  });
});

describe('paramMeanings', () => {
  it('reads the param table of a description, without code marks', () => {
    const text = 'Intro\n\n| param | default | meaning |\n|---|---|---|\n| `fast` | 10 | fast period, less than `slow` |\n| `allowShort` | false | trade shorts |';
    expect([...paramMeanings(text)]).toEqual([
      ['fast', 'fast period, less than slow'],
      ['allowShort', 'trade shorts'],
    ]);
  });
});

describe('titleOf', () => {
  it('turns camelCase param names into sentence-case titles', () => {
    expect(titleOf('allowShort')).toBe('Allow short');
    expect(titleOf('maxDrawdownPct')).toBe('Max drawdown pct');
    expect(titleOf('fast')).toBe('Fast');
  });
});
