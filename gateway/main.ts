/**
 * Process entry of the gateway (`node dist/gateway/main.js`): config from the environment (every
 * problem listed, exit 2), the real I/O edges, then `startGateway`. Prints
 * `TT_GATEWAY_READY {"url":…,"sim":…}` on stdout when serving; SIGINT/SIGTERM stop it cleanly.
 */
import { loadConfigOrExit } from '../shared/config/env-parse.js';
import { gatewayConfigSchema } from '../shared/config/gateway-config.js';
import { createGatewayDeps } from './gateway-deps.js';
import { createGatewayLog } from './gateway-log.js';
import { startGateway } from './start-gateway.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit(gatewayConfigSchema, process.env, 'gateway');
  const log = createGatewayLog(config.TT_LOG_LEVEL);
  const runtime = createGatewayDeps(config, log);
  const { deps, sim } = runtime;
  // The paper exchange reads the same sim (REST or the shared price source): start it up front.
  await runtime.startSim();
  const gateway = await startGateway(config, deps);
  log('info', `serving health, metrics and market control at ${gateway.url}`);
  process.stdout.write(`TT_GATEWAY_READY ${JSON.stringify({ url: gateway.url, pid: process.pid, sim: { restUrl: sim.restUrl ?? null, clock: sim.clock, seed: sim.seed } })}\n`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log('info', `${signal}: stopping`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    gateway.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log('error', `stop failed: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`The gateway failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
