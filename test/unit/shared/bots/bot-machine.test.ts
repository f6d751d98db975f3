import { parseBotConfig, type BotConfig } from '../../../../shared/bots/bot-config.js';
import { BOT_STATUSES, checkCommand, step, VALID_IN, type BotCommand, type BotMachineState, type BotStatus } from '../../../../shared/bots/bot-machine.js';
import { botConfig } from './execution-sim.js';

function config(overrides: Record<string, unknown> = {}): BotConfig {
  const parsed = parseBotConfig(botConfig(overrides));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const at = { actor: 'user:t', atMs: 1000 };
const CONNECTION = { exchangeId: 'paper', mode: 'paper' as const, paper: { startingBalance: { currency: 'USD', amount: 1000 } } };

function commandOf(type: Exclude<BotCommand['type'], 'create'>): BotCommand {
  switch (type) {
    case 'updateConfig':
      return { type, config: config({ name: 'renamed' }), ...at };
    case 'start':
      return { type, connection: CONNECTION, ...at };
    case 'stop':
      return { type, closePosition: false, ...at };
    case 'halt':
      return { type, code: 'RISK.DAILY_LOSS', message: 'lost', ...at };
    case 'fault':
      return { type, message: 'boom', ...at };
    default:
      return { type, ...at };
  }
}

function inState(status: BotStatus): BotMachineState {
  return { status, config: config(), configVersion: 1, runningConfigVersion: null, connection: null, reason: null, createdAtMs: 0, updatedAtMs: 0 };
}

const COMMANDS = Object.keys(VALID_IN) as Exclude<BotCommand['type'], 'create'>[];

describe('bot state machine', () => {
  it('creates a draft with config version 1', () => {
    const result = step(undefined, { type: 'create', config: config(), ...at });
    expect(result.ok && result.value.state).toMatchObject({ status: 'draft', configVersion: 1 });
  });

  it('refuses every command on a bot that does not exist, and create on one that does', () => {
    for (const c of COMMANDS) expect(step(undefined, commandOf(c))).toMatchObject({ ok: false, error: { code: 'BOT.NOT_FOUND' } });
    for (const s of BOT_STATUSES) expect(step(inState(s), { type: 'create', config: config(), ...at })).toMatchObject({ ok: false, error: { code: 'BOT.INVALID_TRANSITION', details: { state: s } } });
  });

  describe.each(BOT_STATUSES)('in state %s', (status) => {
    it.each(COMMANDS)('%s succeeds exactly when the table allows it, else BOT.INVALID_TRANSITION with the state', (command) => {
      const result = step(inState(status), commandOf(command));
      if (VALID_IN[command].includes(status)) {
        expect(result.ok || (!result.ok && result.error.code === 'BOT.CONFIG_LOCKED')).toBe(true);
      } else {
        expect(result).toMatchObject({ ok: false, error: { code: 'BOT.INVALID_TRANSITION', details: { state: status, command } } });
        expect(checkCommand(inState(status), commandOf(command)).ok).toBe(false);
      }
    });
  });

  it('follows the lifecycle with its effects', () => {
    let s = inState('draft');
    const go = (c: BotCommand) => {
      const r = step(s, c);
      if (!r.ok) throw new Error(r.error.message);
      s = r.value.state;
      return r.value.effects.map((e) => e.type);
    };
    expect(go(commandOf('start'))).toEqual(['attach', 'statusChanged']);
    expect(s.runningConfigVersion).toBe(1);
    expect(go(commandOf('pause'))).toEqual(['statusChanged']);
    expect(go(commandOf('resume'))).toEqual(['statusChanged']);
    expect(go(commandOf('halt'))).toEqual(['cancelAll', 'statusChanged']);
    expect(s.reason).toEqual({ code: 'RISK.DAILY_LOSS', message: 'lost' });
    expect(go({ type: 'stop', closePosition: true, ...at })).toEqual(['cancelAll', 'closePosition', 'statusChanged']);
    expect(s.status).toBe('stopping');
    expect(go(commandOf('stopCompleted'))).toEqual(['detach', 'statusChanged']);
    expect(s.status).toBe('stopped');
    expect(go(commandOf('start'))).toEqual(['attach', 'statusChanged']);
    expect(go(commandOf('kill'))).toEqual(['flatten', 'detach', 'statusChanged']);
    expect(go(commandOf('delete'))).toEqual(['deleted']);
  });

  it('lets a running bot tighten its risk limits but change nothing else', () => {
    const running = { ...inState('running'), config: config({ risk: { maxOrderNotional: 1000 } }) };
    const tighter = step(running, { type: 'updateConfig', config: config({ risk: { maxOrderNotional: 500, maxOpenOrders: 3 } }), ...at });
    expect(tighter.ok && tighter.value.state.configVersion).toBe(2);
    expect(step(running, { type: 'updateConfig', config: config({ risk: { maxOrderNotional: 2000 } }), ...at })).toMatchObject({ ok: false, error: { code: 'BOT.CONFIG_LOCKED' } });
    expect(step(running, { type: 'updateConfig', config: config({ risk: {} }), ...at })).toMatchObject({ ok: false, error: { code: 'BOT.CONFIG_LOCKED' } });
    expect(step(running, { type: 'updateConfig', config: config({ risk: { maxOrderNotional: 1000 }, strategy: { id: 'sma-cross', params: { fast: 5, slow: 30 } } }), ...at })).toMatchObject({
      ok: false, error: { code: 'BOT.CONFIG_LOCKED' },
    });
  });

  it('edits strategy params in draft, paused and stopped (resetting the strategy), but not the market while paused', () => {
    const edit = config({ strategy: { id: 'sma-cross', params: { fast: 5, slow: 30 } } });
    for (const s of ['draft', 'paused', 'stopped'] as const) {
      const r = step(inState(s), { type: 'updateConfig', config: edit, ...at });
      expect(r.ok && r.value.effects).toEqual([{ type: 'configVersion', version: 2, changes: ['strategy.params.fast'] }, { type: 'resetStrategy' }]);
    }
    expect(step(inState('paused'), { type: 'updateConfig', config: config({ market: { exchange: 'paper', symbol: 'MSFT', timeframe: '1d' } }), ...at })).toMatchObject({ ok: false, error: { code: 'BOT.CONFIG_LOCKED' } });
  });
});

describe('bot config', () => {
  it('fills strategy defaults and refuses unknown strategies and bad params with BOT.INVALID_CONFIG', () => {
    const parsed = parseBotConfig(botConfig({ strategy: { id: 'sma-cross' } }));
    expect(parsed.ok && parsed.value.strategy.params).toEqual({ fast: 10, slow: 30, allowShort: false });
    expect(parseBotConfig(botConfig({ strategy: { id: 'nope' } }))).toMatchObject({ ok: false, error: { code: 'BOT.INVALID_CONFIG' } });
    expect(parseBotConfig(botConfig({ strategy: { id: 'sma-cross', params: { fast: 50, slow: 30 } } }))).toMatchObject({ ok: false, error: { code: 'BOT.INVALID_CONFIG' } });
    expect(parseBotConfig({ ...botConfig(), surprise: 1 })).toMatchObject({ ok: false, error: { code: 'BOT.INVALID_CONFIG' } });
  });
});
