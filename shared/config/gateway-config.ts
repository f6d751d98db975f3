/** Configuration of the always-on market-data gateway (Container App in Azure, a process locally). */
import { z } from 'zod';
import { readReplayCsv } from '../adapters/market-data/replay-csv-file.js';
import { DEFAULT_REPLAY_TRADES_PER_BAR } from '../market/csv-replay-market.js';
import { parseMarketKey, parseMarketKeyList } from '../market/market-key.js';
import { DEFAULT_SIM_SEED, SIM_MARKETS } from '../market/sim-market.js';
import { TIMEFRAME_MS, timeframeSchema } from '../market/timeframes.js';
import type { BarSeries } from '../trading/types.js';
import { flag, httpUrl, logLevel, port, positiveInt } from './config-fields.js';

const LOOPBACK_ORIGIN = /^http:\/\/(?:127\.0\.0\.1|localhost)(?::\d{1,5})?$/;

/** Watched when GATEWAY_MARKETS is unset, together with every SIM_REPLAY market. */
export const DEFAULT_GATEWAY_MARKETS = 'sim:SIM-BTC/USD,sim:SIM-ETH/USD,sim:SIM-AAPL';

/** One SIM_REPLAY entry, its file already read and parsed (so a bad file stops the start). */
export interface SimReplaySource {
  readonly symbol: string;
  /** As configured; relative paths resolve against the gateway's working directory. */
  readonly path: string;
  readonly rows: BarSeries;
}

const REPLAY_SYNTAX = 'must be SYMBOL=file.csv[,SYMBOL=file.csv…], e.g. SIM-GOOG=../shared/data/GOOG.csv';
const WALK_SYMBOLS: ReadonlySet<string> = new Set(SIM_MARKETS.map((m) => m.symbol));

/** `SYMBOL=path,…` → sources with their rows; every bad entry, unreadable file and bad row is an issue. */
function loadReplaySources(value: string | undefined, ctx: z.RefinementCtx): SimReplaySource[] {
  const sources: SimReplaySource[] = [];
  if (value === undefined || value.trim() === '') return sources;
  const seen = new Set<string>();
  for (const entry of value.split(',')) {
    const eq = entry.indexOf('=');
    const symbol = eq > 0 ? entry.slice(0, eq).trim() : '';
    const path = eq > 0 ? entry.slice(eq + 1).trim() : '';
    if (symbol === '' || path === '') {
      ctx.addIssue({ code: 'custom', message: `"${entry.trim().slice(0, 80)}": ${REPLAY_SYNTAX}` });
      continue;
    }
    if (!parseMarketKey(`sim:${symbol}`).ok) {
      ctx.addIssue({ code: 'custom', message: `"${symbol.slice(0, 80)}" is not a symbol: letters, digits and . / : - (up to 64), e.g. SIM-GOOG` });
      continue;
    }
    if (WALK_SYMBOLS.has(symbol)) {
      ctx.addIssue({ code: 'custom', message: `${symbol} is a built-in random-walk market; give the replay another symbol` });
      continue;
    }
    if (seen.has(symbol)) {
      ctx.addIssue({ code: 'custom', message: `${symbol} is given twice` });
      continue;
    }
    seen.add(symbol);
    const rows = readReplayCsv(path);
    if (!rows.ok) {
      ctx.addIssue({ code: 'custom', message: `${symbol}: ${rows.error.message}` });
      continue;
    }
    sources.push({ symbol, path, rows: rows.value });
  }
  return sources;
}

const gatewayEnvSchema = z.object({
    GATEWAY_PORT: port(7072),
    /** 0.0.0.0 in a container; loopback locally. */
    GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
    /** Markets always watched (besides those running bots need and those added at runtime). */
    GATEWAY_MARKETS: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        if (value === undefined) return;
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
     * CSV replays added to the sim exchange next to the walk: `SIM-GOOG=../shared/data/GOOG.csv,…`
     * (paths relative to the working directory). Each row becomes one SIM_REPLAY_BAR of sim time.
     */
    SIM_REPLAY: z.string().optional().transform(loadReplaySources),
    /** Sim time one CSV row lasts (its trades aggregate to that row at this timeframe). */
    SIM_REPLAY_BAR: timeframeSchema.default('1m'),
    /** Sim time of the first row (a multiple of SIM_REPLAY_BAR); unset: the sim clock's start, floored to a bar. */
    SIM_REPLAY_START_MS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').optional(),
    /** After the last row: `loop` from the first row again, or `stop` (no more trades). */
    SIM_REPLAY_END: z.enum(['loop', 'stop'], { error: 'must be loop or stop' }).default('loop'),
    /** Trades each row is replayed as (fewer when the row has fewer lots of volume, never under 4). */
    SIM_REPLAY_TRADES_PER_BAR: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(4, 'must be at least 4 (open, high, low, close)')
      .max(10_000, 'must be at most 10000')
      .default(DEFAULT_REPLAY_TRADES_PER_BAR),
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

export const gatewayConfigSchema = gatewayEnvSchema
  .superRefine((config, ctx) => {
    if (config.SIM_REPLAY.length > 0 && config.SIM_EXCHANGE_URL !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['SIM_REPLAY'], message: 'replays run in the in-process sim exchange: unset SIM_EXCHANGE_URL, or configure the replay where that exchange runs' });
    }
    if (config.SIM_REPLAY_START_MS !== undefined && config.SIM_REPLAY_START_MS % TIMEFRAME_MS[config.SIM_REPLAY_BAR] !== 0) {
      ctx.addIssue({ code: 'custom', path: ['SIM_REPLAY_START_MS'], message: `must be a multiple of SIM_REPLAY_BAR (${config.SIM_REPLAY_BAR}) so replay bars are exchange buckets` });
    }
  })
  .transform((config) => ({
    ...config,
    GATEWAY_MARKETS: config.GATEWAY_MARKETS ?? [DEFAULT_GATEWAY_MARKETS, ...config.SIM_REPLAY.map((r) => `sim:${r.symbol}`)].join(','),
  }));

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
