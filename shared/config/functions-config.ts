/** Configuration of the Function App (HTTP API, timers, webhooks, entities). Same schema in Azure and locally. */
import { z } from 'zod';
import { httpUrl, logLevel } from './config-fields.js';

export const functionsConfigSchema = z
  .object({
    COSMOS_ENDPOINT: httpUrl,
    /** Absent in Azure: the app then uses its managed identity (DefaultAzureCredential). */
    COSMOS_KEY: z.string().min(1, 'must not be empty').optional(),
    /** PEM file of a CA to trust for Cosmos only (the embedded or official emulator). */
    COSMOS_CA_CERT_FILE: z.string().min(1, 'must not be empty').optional(),
    COSMOS_DATABASE: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'must be 1-255 letters, digits, - or _').default('tradingtower'),
    SECRET_STORE: z.enum(['keyvault', 'file'], { error: 'must be keyvault or file' }).default('file'),
    KEY_VAULT_URL: httpUrl.optional(),
    LOCAL_SECRETS_DIR: z.string().min(1).default('.tt-local/secrets'),
    /** Locally the embedded emulator's connection string; in Azure unset (WEB_PUBSUB_ENDPOINT + identity). */
    WEB_PUBSUB_CONNECTION_STRING: z.string().regex(/Endpoint=https?:\/\/[^;]+;AccessKey=[^;]+;/i, 'must be Endpoint=…;AccessKey=…;Version=1.0;').optional(),
    WEB_PUBSUB_ENDPOINT: httpUrl.optional(),
    /**
     * Local only: where browsers open their client websocket instead of the emulator's TLS endpoint
     * (their trust store lacks the local CA). Negotiate hands out this origin; loopback only.
     */
    WEB_PUBSUB_BROWSER_ORIGIN: z
      .string()
      .regex(/^ws:\/\/(?:localhost|127\.0\.0\.1):\d{1,5}$/, 'must be ws://localhost:<port> or ws://127.0.0.1:<port> (local emulator only)')
      .optional(),
    WEB_PUBSUB_HUB: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,127}$/, 'must start with a letter; letters, digits and _').default('market'),
    /** The gateway's health URL, reported by /api/health when set. */
    GATEWAY_HEALTH_URL: httpUrl.optional(),
    TT_LOG_LEVEL: logLevel,
    /**
     * Offline tests only: `binance=http://127.0.0.1:4010,…` sends that exchange's REST calls to a
     * local mock. Loopback origins only, so credentials can never be redirected elsewhere.
     */
    TT_EXCHANGE_API_OVERRIDES: z
      .string()
      .regex(
        /^[a-z]+=http:\/\/(?:127\.0\.0\.1|localhost)(?::\d{1,5})?(?:,[a-z]+=http:\/\/(?:127\.0\.0\.1|localhost)(?::\d{1,5})?)*$/,
        'must be <exchangeId>=http://127.0.0.1:<port>[,…]',
      )
      .optional(),
  })
  .refine((cfg) => cfg.SECRET_STORE !== 'keyvault' || Boolean(cfg.KEY_VAULT_URL), {
    path: ['KEY_VAULT_URL'],
    message: 'is required when SECRET_STORE=keyvault',
    // Run even when other fields failed, so one start lists every problem.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });

export type FunctionsConfig = z.infer<typeof functionsConfigSchema>;
