import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseEnv } from '../../../../shared/config/env-parse';
import { DEFAULT_GATEWAY_MARKETS, gatewayConfigSchema, type GatewayConfig } from '../../../../shared/config/gateway-config';

const GOOG = resolve(__dirname, '../../../../../shared/data/GOOG.csv');
const BTC = resolve(__dirname, '../../../../../shared/data/BTCUSD.csv');

function parse(env: NodeJS.ProcessEnv): GatewayConfig {
  const r = parseEnv(gatewayConfigSchema, env, 'gateway');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function problems(env: NodeJS.ProcessEnv): string {
  const r = parseEnv(gatewayConfigSchema, env, 'gateway');
  if (r.ok) throw new Error('expected the configuration to be refused');
  expect(r.error.code).toBe('CONFIG.INVALID');
  return r.error.message;
}

describe('gatewayConfigSchema SIM_REPLAY settings', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tt-replay-config-'));
    writeFileSync(join(dir, 'bad-row.csv'), ',Open,High,Low,Close,Volume\n2020-01-01,10,12,9,11,100\n2020-01-02,11,12,10,eleven,5\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves the sim unchanged when unset: no replays, the walk markets watched', () => {
    const config = parse({});
    expect(config.SIM_REPLAY).toEqual([]);
    expect(config.GATEWAY_MARKETS).toBe(DEFAULT_GATEWAY_MARKETS);
    expect(config).toMatchObject({ SIM_REPLAY_BAR: '1m', SIM_REPLAY_END: 'loop', SIM_REPLAY_TRADES_PER_BAR: 30 });
    expect(config.SIM_REPLAY_START_MS).toBeUndefined();
  });

  it('reads every replay file, relative paths against the working directory, and watches the replays by default', () => {
    const config = parse({ SIM_REPLAY: ` SIM-GOOG=${relative(process.cwd(), GOOG)} , SIM-BTC=${BTC}`, SIM_REPLAY_BAR: '5m', SIM_REPLAY_END: 'stop' });
    expect(config.SIM_REPLAY.map((r) => [r.symbol, r.rows.length])).toEqual([
      ['SIM-GOOG', 2148],
      ['SIM-BTC', 156],
    ]);
    expect(config.SIM_REPLAY[0]!.rows.close[0]).toBe(100.34);
    expect(config.GATEWAY_MARKETS).toBe(`${DEFAULT_GATEWAY_MARKETS},sim:SIM-GOOG,sim:SIM-BTC`);
    expect(config).toMatchObject({ SIM_REPLAY_BAR: '5m', SIM_REPLAY_END: 'stop' });
  });

  it('keeps an explicit GATEWAY_MARKETS as given', () => {
    expect(parse({ SIM_REPLAY: `SIM-GOOG=${GOOG}`, GATEWAY_MARKETS: 'sim:SIM-AAPL' }).GATEWAY_MARKETS).toBe('sim:SIM-AAPL');
  });

  it('lists every bad entry, unreadable file and bad row at once, with the file and line of the row', () => {
    const message = problems({
      SIM_REPLAY: [`SIM-GOOG=${GOOG}`, 'no-equals-sign', 'bad symbol=x.csv', `SIM-BTC/USD=${GOOG}`, `SIM-GOOG=${BTC}`, `SIM-MISSING=${join(dir, 'missing.csv')}`, `SIM-BAD=${join(dir, 'bad-row.csv')}`].join(','),
    });
    expect(message).toContain('"no-equals-sign": must be SYMBOL=file.csv');
    expect(message).toContain('"bad symbol" is not a symbol');
    expect(message).toContain('SIM-BTC/USD is a built-in random-walk market');
    expect(message).toContain('SIM-GOOG is given twice');
    expect(message).toContain(`SIM-MISSING: cannot read ${join(dir, 'missing.csv')}: no such file`);
    expect(message).toContain(`SIM-BAD: ${join(dir, 'bad-row.csv')}:3: close is not a number: "eleven"`);
    expect(message.match(/^ {2}- SIM_REPLAY: /gm)).toHaveLength(6);
  });

  it('checks the replay bar, end, start alignment and trade count', () => {
    const message = problems({ SIM_REPLAY_BAR: '2m', SIM_REPLAY_END: 'rewind', SIM_REPLAY_TRADES_PER_BAR: '3' });
    expect(message).toMatch(/SIM_REPLAY_BAR: must be one of 1m, 5m, 15m, 1h, 4h, 1d/);
    expect(message).toMatch(/SIM_REPLAY_END: must be loop or stop/);
    expect(message).toMatch(/SIM_REPLAY_TRADES_PER_BAR: must be at least 4/);
    expect(problems({ SIM_REPLAY_BAR: '1h', SIM_REPLAY_START_MS: String(Date.UTC(2024, 0, 1, 0, 30)) })).toMatch(/SIM_REPLAY_START_MS: must be a multiple of SIM_REPLAY_BAR \(1h\)/);
    expect(parse({ SIM_REPLAY_BAR: '1h', SIM_REPLAY_START_MS: String(Date.UTC(2024, 0, 1, 3)) }).SIM_REPLAY_START_MS).toBe(Date.UTC(2024, 0, 1, 3));
  });

  it('refuses a replay with an external sim exchange, which would not serve it', () => {
    expect(problems({ SIM_REPLAY: `SIM-GOOG=${GOOG}`, SIM_EXCHANGE_URL: 'http://127.0.0.1:4100' })).toMatch(/SIM_REPLAY: replays run in the in-process sim exchange/);
  });
});
