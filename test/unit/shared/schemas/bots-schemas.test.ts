import { parseBotConfig, type BotConfig } from '../../../../shared/bots/bot-config.js';
import {
  adminOperationParams,
  applyBotPatch,
  createBotBodySchema,
  killSwitchBodySchema,
  patchBotBodySchema,
  stopBotBodySchema,
} from '../../../../shared/schemas/bots-schemas.js';

const CONNECTION = 'c'.repeat(32);

function config(): BotConfig {
  const parsed = parseBotConfig({
    name: 'GOOG trend',
    connectionId: CONNECTION,
    market: { exchange: 'paper', symbol: 'GOOG', timeframe: '1d' },
    strategy: { id: 'sma-cross', params: { fast: 5, slow: 20 } },
    risk: { maxOrderNotional: 1000, maxOpenOrders: 2 },
  });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const patch = (body: unknown) => patchBotBodySchema.parse(body);

describe('applyBotPatch', () => {
  it('merges risk limits field by field, null removing a limit', () => {
    const next = applyBotPatch(config(), patch({ risk: { maxOrderNotional: 500, maxOpenOrders: null } })) as BotConfig;
    expect(next.risk).toEqual({ ...config().risk, maxOrderNotional: 500, maxOpenOrders: null });
  });

  it('merges params of the same strategy and starts from defaults for another strategy', () => {
    const same = applyBotPatch(config(), patch({ strategy: { params: { fast: 7 } } })) as BotConfig;
    expect(same.strategy).toEqual({ id: 'sma-cross', params: { fast: 7, slow: 20, allowShort: false } });
    const other = parseBotConfig(applyBotPatch(config(), patch({ strategy: { id: 'rsi-reversion' } })));
    expect(other.ok && other.value.strategy.id).toBe('rsi-reversion');
    expect(other.ok && other.value.strategy.params).not.toHaveProperty('fast');
  });

  it('changes the market field by field and keeps everything not named', () => {
    const next = applyBotPatch(config(), patch({ market: { symbol: 'MSFT' }, name: 'renamed' })) as BotConfig;
    expect(next.market).toEqual({ exchange: 'paper', symbol: 'MSFT', timeframe: '1d' });
    expect(next.name).toBe('renamed');
    expect({ ...next, market: config().market, name: config().name }).toEqual(config());
  });

  it('sets and clears the capital', () => {
    expect((applyBotPatch(config(), patch({ capital: 2500 })) as BotConfig).capital).toBe(2500);
    expect((applyBotPatch({ ...config(), capital: 2500 }, patch({ capital: null })) as BotConfig).capital).toBeNull();
  });
});

describe('bots request schemas', () => {
  it('refuse an empty patch and unknown fields, also inside sections', () => {
    expect(patchBotBodySchema.safeParse({}).success).toBe(false);
    expect(patchBotBodySchema.safeParse({ status: 'running' }).success).toBe(false);
    expect(patchBotBodySchema.safeParse({ risk: { maxLeverage: 2 } }).success).toBe(false);
  });

  it('take a patch of one risk limit without filling the others with defaults', () => {
    expect(patch({ risk: { priceBandPct: 5 } })).toEqual({ risk: { priceBandPct: 5 } });
  });

  it('want a 32-hex connection id and a display name on create', () => {
    const base = { name: 'x', connectionId: CONNECTION, market: { exchange: 'paper', symbol: 'GOOG', timeframe: '1d' }, strategy: { id: 'sma-cross' } };
    expect(createBotBodySchema.safeParse(base).success).toBe(true);
    expect(createBotBodySchema.safeParse({ ...base, connectionId: 'abc' }).success).toBe(false);
    expect(createBotBodySchema.safeParse({ ...base, name: 'a\u0007b' }).success).toBe(false);
    expect(createBotBodySchema.safeParse({ ...base, tenantId: '0'.repeat(32) }).success).toBe(false);
  });

  it('make stop state closePosition explicitly', () => {
    expect(stopBotBodySchema.safeParse({}).success).toBe(false);
    expect(stopBotBodySchema.parse({ closePosition: true })).toEqual({ closePosition: true });
  });

  it('allow flatten only when engaging the kill switch', () => {
    expect(killSwitchBodySchema.safeParse({ engaged: true, flatten: true }).success).toBe(true);
    expect(killSwitchBodySchema.safeParse({ engaged: false }).success).toBe(true);
    expect(killSwitchBodySchema.safeParse({ engaged: false, flatten: false }).success).toBe(false);
  });

  it('name only the admin operations and entity ids without a tenant part', () => {
    expect(adminOperationParams.safeParse({ name: 'bot', key: 'a'.repeat(24), operation: 'forceStop' }).success).toBe(true);
    expect(adminOperationParams.safeParse({ name: 'bot', key: 'a'.repeat(24), operation: 'start' }).success).toBe(false);
    expect(adminOperationParams.safeParse({ name: 'bot', key: `${'a'.repeat(32)}:${'b'.repeat(24)}`, operation: 'halt' }).success).toBe(false);
  });
});
