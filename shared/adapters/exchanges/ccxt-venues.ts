/**
 * How each non-paper venue of the catalog is reached through ccxt, and how it reports whether a key
 * may withdraw. Typed over the catalog ids, so a new catalog entry does not compile until it is here.
 * Responses of the permission endpoints are parsed with zod: exchanges change them without notice.
 */
import type * as ccxtModule from 'ccxt';
import type { Exchange } from 'ccxt';
import { z } from 'zod';
import type { ExchangeId } from '../../domain/exchange-catalog.js';

export type CcxtModule = typeof ccxtModule;
export interface CcxtConfig {
  apiKey: string;
  secret: string;
  password?: string;
  timeout: number;
  enableRateLimit: boolean;
}

export type WithdrawalCheck = () => Promise<'present' | 'absent'>;

export interface OpenedVenue {
  readonly exchange: Exchange;
  /** Present when the venue reports key permissions; only consulted for live keys. */
  readonly withdrawalPermission?: WithdrawalCheck;
}

export type CcxtVenue = (ccxt: CcxtModule, config: CcxtConfig) => OpenedVenue;

const binanceRestrictions = z.object({ enableWithdrawals: z.boolean() });
const coinbasePermissions = z.object({ can_transfer: z.boolean() });
const kucoinApiKey = z.object({ data: z.object({ permission: z.string() }) });
const okxConfig = z.object({ data: z.array(z.object({ perm: z.string() })).min(1) });

const has = (present: boolean): 'present' | 'absent' => (present ? 'present' : 'absent');

export const CCXT_VENUES: Readonly<Record<Exclude<ExchangeId, 'paper'>, CcxtVenue>> = {
  // Alpaca trading keys cannot move funds out of the account; crypto trading goes through ccxt.
  alpaca: (ccxt, config) => ({ exchange: new ccxt.alpaca(config) }),
  binance: (ccxt, config) => {
    const exchange = new ccxt.binance(config);
    return {
      exchange,
      withdrawalPermission: async () => has(binanceRestrictions.parse(await exchange.sapiGetAccountApiRestrictions()).enableWithdrawals),
    };
  },
  coinbase: (ccxt, config) => {
    const exchange = new ccxt.coinbase(config);
    return {
      exchange,
      withdrawalPermission: async () => has(coinbasePermissions.parse(await exchange.v3PrivateGetBrokerageKeyPermissions()).can_transfer),
    };
  },
  // Kraken has no endpoint that lists a key's permissions.
  kraken: (ccxt, config) => ({ exchange: new ccxt.kraken(config) }),
  kucoin: (ccxt, config) => {
    const exchange = new ccxt.kucoin(config);
    return {
      exchange,
      withdrawalPermission: async () =>
        has(kucoinApiKey.parse(await exchange.privateGetUserApiKey()).data.permission.split(',').map((p) => p.trim().toLowerCase()).includes('withdrawal')),
    };
  },
  okx: (ccxt, config) => {
    const exchange = new ccxt.okx(config);
    return {
      exchange,
      withdrawalPermission: async () =>
        has(okxConfig.parse(await exchange.privateGetAccountConfig()).data.some((d) => d.perm.split(',').map((p) => p.trim()).includes('withdraw'))),
    };
  },
};
