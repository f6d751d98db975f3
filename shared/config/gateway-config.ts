/** Configuration of the always-on market-data gateway (Container App in Azure, a process locally). */
import { z } from 'zod';
import { httpUrl, logLevel, port, positiveInt } from './config-fields.js';

export const gatewayConfigSchema = z.object({
  GATEWAY_PORT: port(7072),
  FUNCTIONS_BASE_URL: httpUrl.default('http://127.0.0.1:7071'),
  /** Function key for the internal bars endpoint. */
  FUNCTIONS_KEY: z.string().min(1).optional(),
  WEB_PUBSUB_ENDPOINT: httpUrl.optional(),
  WEB_PUBSUB_HUB: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,127}$/, 'must start with a letter; letters, digits and _').default('market'),
  TICKS_PER_SECOND_PER_MARKET: positiveInt(10),
  TT_LOG_LEVEL: logLevel,
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
