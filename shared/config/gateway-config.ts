/** Configuration of the always-on market-data gateway (Container App in Azure, a process locally). */
import { z } from 'zod';
import { parseMarketKeyList } from '../market/market-key.js';
import { DEFAULT_SIM_SEED } from '../market/sim-market.js';
import { flag, httpUrl, logLevel, port, positiveInt } from './config-fields.js';

const LOOPBACK_ORIGIN = /^http:\/\/(?:127\.0\.0\.1|localhost)(?::\d{1,5})?$/;

export const gatewayConfigSchema = z.object({
    GATEWAY_PORT: port(7072),
    /** 0.0.0.0 in a container; loopback locally. */
    GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
    /** Markets always watched (besides those running bots need and those added at runtime). */
    GATEWAY_MARKETS: z
      .string()
      .default('sim:SIM-BTC/USD,sim:SIM-ETH/USD,sim:SIM-AAPL')
      .superRefine((value, ctx) => {
        const parsed = parseMarketKeyList(value);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
      }),
    /** Required by POST /markets when set; without it only loopback callers may change markets. */
    GATEWAY_CONTROL_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
    /**
     * Where the markets running bots need are listed (`{"markets":["binance:BTC/USDT:1m",…]}`, read
     * with FUNCTIONS_KEY); unset: configured markets plus those added through POST /markets.
     */
    GATEWAY_DEMAND_URL: httpUrl.optional(),
    /** How often that list is re-read (ms). */
    GATEWAY_DEMAND_REFRESH_MS: positiveInt(30_000),
    FUNCTIONS_BASE_URL: httpUrl.default('http://127.0.0.1:7071'),
    /** Function key for the internal bars endpoint. */
    FUNCTIONS_KEY: z.string().min(1).optional(),
    /** Post closed bars to the internal bars endpoint (off: bars only go to Cosmos). */
    GATEWAY_POST_BARS: flag(true),
    /** Local emulator or keyed service. */
    WEB_PUBSUB_CONNECTION_STRING: z.string().regex(/Endpoint=https?:\/\/[^;]+;AccessKey=[^;]+;/i, 'must be Endpoint=…;AccessKey=…;Version=1.0;').optional(),
    /** Azure: the service endpoint, reached with the managed identity. */
    WEB_PUBSUB_ENDPOINT: httpUrl.optional(),
    WEB_PUBSUB_HUB: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,127}$/, 'must start with a letter; letters, digits and _').default('market'),
    TICKS_PER_SECOND_PER_MARKET: positiveInt(10),
    /** Cosmos for the `candles` container; without it bars are not stored. */
    COSMOS_ENDPOINT: httpUrl.optional(),
    COSMOS_KEY: z.string().min(1).optional(),
    COSMOS_DATABASE: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'must be 1-255 letters, digits, - or _').default('tradingtower'),
    /** URL of a running sim exchange; unset: the gateway runs one in-process on SIM_PORT. */
    SIM_EXCHANGE_URL: httpUrl.optional(),
    SIM_PORT: port(0),
    SIM_SEED: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').default(DEFAULT_SIM_SEED),
    /** Sim milliseconds per real millisecond (60: a 1m bar closes every second). */
    SIM_SPEED: z.coerce.number({ error: 'must be a number' }).positive('must be positive').max(10_000, 'must be at most 10000').default(1),
    /** Sim time at gateway start (epoch ms); unset: the real time. */
    SIM_START_MS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').optional(),
    /**
     * Offline tests only: `binance=http://127.0.0.1:4010,…` sends that exchange's REST and websocket
     * traffic to a local mock. Loopback origins only.
     */
    GATEWAY_EXCHANGE_MOCKS: z
      .string()
      .refine(
        (value) =>
          value.split(',').every((pair) => {
            const [id, origin] = pair.split('=', 2);
            return !!id && /^[a-z][a-z0-9]*$/.test(id) && !!origin && LOOPBACK_ORIGIN.test(origin);
          }),
        'must be <exchangeId>=http://127.0.0.1:<port>[,…]',
      )
      .optional(),
    /** Most bars one backfill fetches per timeframe after a gap or a restart. */
    GATEWAY_MAX_BACKFILL_BARS: positiveInt(1_000),
    TT_LOG_LEVEL: logLevel,
  });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
