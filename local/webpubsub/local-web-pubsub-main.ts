/**
 * Runs the Web PubSub emulator as its own process (benchmarks, or a host that wants it isolated).
 * Prints `TT_WPS_READY {"endpoint","connectionString","caFile"}` on stdout once listening; stops on
 * SIGTERM/SIGINT. Clients of a TLS emulator trust it with NODE_EXTRA_CA_CERTS=<caFile>.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { flag, logLevel, port } from '../../shared/config/config-fields.js';
import { loadConfigOrExit } from '../../shared/config/env-parse.js';
import { createLogger } from '../host/logger.js';
import { ensureLocalTlsCert } from '../tls/local-tls.js';
import { startLocalWebPubSub } from './local-web-pubsub.js';

const webPubSubEmulatorConfigSchema = z.object({
  TT_DATA_DIR: z.string().min(1, 'must not be empty').default('.tt-local'),
  TT_WPS_HOST: z.string().min(1).default('127.0.0.1'),
  TT_WPS_PORT: port(0),
  /** Fixed key, so restarts keep issued tokens valid; random when unset. */
  TT_WPS_ACCESS_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  TT_WPS_TLS: flag(true),
  /** Where the local CA and server certificate live; defaults to <TT_DATA_DIR>/tls. */
  TT_WPS_TLS_DIR: z.string().min(1).optional(),
  TT_WPS_CORK_WRITES: flag(true),
  TT_LOG_LEVEL: logLevel,
});

async function main(): Promise<void> {
  const config = loadConfigOrExit(webPubSubEmulatorConfigSchema, process.env, 'web-pubsub emulator');
  const log = createLogger(config.TT_LOG_LEVEL, (line) => process.stderr.write(line));
  const tls = config.TT_WPS_TLS ? ensureLocalTlsCert(resolve(config.TT_WPS_TLS_DIR ?? resolve(config.TT_DATA_DIR, 'tls'))) : undefined;
  const emulator = await startLocalWebPubSub({
    host: config.TT_WPS_HOST,
    port: config.TT_WPS_PORT,
    ...(config.TT_WPS_ACCESS_KEY ? { accessKey: config.TT_WPS_ACCESS_KEY } : {}),
    tls: tls ? { cert: tls.cert, key: tls.key } : false,
    corkWrites: config.TT_WPS_CORK_WRITES,
    log,
  });
  log.redact(emulator.accessKey);
  process.stdout.write(`TT_WPS_READY ${JSON.stringify({ endpoint: emulator.endpoint, connectionString: emulator.connectionString, caFile: tls?.caFile ?? null })}\n`);
  const stop = (): void => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`web-pubsub emulator failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
