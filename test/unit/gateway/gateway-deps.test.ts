import { resolve } from 'node:path';
import { createGatewayDeps } from '../../../gateway/gateway-deps';
import { silentLog } from '../../../gateway/gateway-log';
import { parseEnv } from '../../../shared/config/env-parse';
import { gatewayConfigSchema, type GatewayConfig } from '../../../shared/config/gateway-config';
import type { MarketDataExchange } from '../../../shared/adapters/market-data/market-data-exchange';

const GOOG = resolve(__dirname, '../../../../shared/data/GOOG.csv');
const HOUR = 3_600_000;

function config(env: NodeJS.ProcessEnv): GatewayConfig {
  const r = parseEnv(gatewayConfigSchema, env, 'gateway');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('createGatewayDeps sim exchange', () => {
  const opened: MarketDataExchange[] = [];
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((e) => e.close()));
    await Promise.all(stops.map((stop) => stop()));
  });

  it('serves SIM_REPLAY markets next to the walk, from the sim clock start floored to a replay bar', async () => {
    const simStartMs = Date.UTC(2025, 0, 6, 9, 40, 12);
    let realNowMs = 1_000;
    const runtime = createGatewayDeps(config({ SIM_REPLAY: `SIM-GOOG=${GOOG}`, SIM_REPLAY_BAR: '1h', SIM_START_MS: String(simStartMs), SIM_SPEED: '1' }), silentLog, () => realNowMs);
    stops.push(() => runtime.deps.onStop?.() ?? Promise.resolve());
    const replayStartMs = Date.UTC(2025, 0, 6, 9);
    expect(runtime.sim.replays).toEqual([{ symbol: 'SIM-GOOG', path: GOOG, rows: 2148, startMs: replayStartMs, barMs: HOUR, end: 'loop' }]);

    const restUrl = await runtime.startSim();
    const listed = (await (await fetch(`${restUrl}/api/v1/markets`)).json()) as { symbol: string }[];
    expect(listed.map((m) => m.symbol)).toEqual(['SIM-BTC/USD', 'SIM-ETH/USD', 'SIM-AAPL', 'SIM-GOOG']);

    const exchange = await runtime.deps.exchanges('sim');
    opened.push(exchange);
    await exchange.start();
    // Two hours later the first CSV row is the closed bar of the hour the sim clock started in.
    realNowMs += 2 * HOUR;
    expect(await exchange.fetchOhlcv('SIM-GOOG', '1h', replayStartMs, 1)).toEqual([
      { openTimeMs: replayStartMs, open: 100, high: 104.06, low: 95.96, close: 100.34, volume: 22351900 },
    ]);
  });

  it('serves only the walk markets when SIM_REPLAY is unset', async () => {
    const runtime = createGatewayDeps(config({}), silentLog);
    stops.push(() => runtime.deps.onStop?.() ?? Promise.resolve());
    expect(runtime.sim.replays).toEqual([]);
    const listed = (await (await fetch(`${await runtime.startSim()}/api/v1/markets`)).json()) as { symbol: string }[];
    expect(listed.map((m) => m.symbol)).toEqual(['SIM-BTC/USD', 'SIM-ETH/USD', 'SIM-AAPL']);
  });
});
