/** Configuration of the one-command local platform (`npm start`). Every value has an embedded default. */
import { z } from 'zod';
import { flag, logLevel, port, positiveInt } from './config-fields.js';

export const localConfigSchema = z.object({
  TT_DATA_DIR: z.string().min(1, 'must not be empty').default('.tt-local'),
  TT_HOST: z.enum(['127.0.0.1', 'localhost', '0.0.0.0'], { error: 'must be 127.0.0.1, localhost or 0.0.0.0' }).default('127.0.0.1'),
  TT_FUNCTIONS_PORT: port(7071),
  TT_SWA_PORT: port(4280),
  TT_COSMOS_PORT: port(0),
  TT_WEB_PUBSUB_PORT: port(0),
  /** Plain-HTTP loopback port for browser websockets (browsers do not trust the local CA); 0 picks one. */
  TT_WEB_PUBSUB_BROWSER_PORT: port(0),
  /** Set to use a real Cosmos account or the official emulator instead of the embedded one. */
  COSMOS_ENDPOINT: z.url({ error: 'must be a URL' }).optional(),
  COSMOS_KEY: z.string().min(1).optional(),
  TT_MAX_BODY_BYTES: positiveInt(100 * 1024 * 1024),
  TT_SWA: flag(true),
  /** Start the market-data gateway (sim exchange) next to the host. */
  TT_GATEWAY: flag(true),
  TT_GATEWAY_PORT: port(7072),
  TT_LOG_LEVEL: logLevel,
  /** Overrides package.json `main`; tests use it to host fixture apps. */
  TT_APP_MAIN: z.string().min(1).optional(),
});

export type LocalConfig = z.infer<typeof localConfigSchema>;
