/**
 * The one list of exchanges and brokers a connection can point at. The site renders its forms from
 * it, the body schemas validate against it, and the exchange adapters must cover every id (their
 * tables are typed `Record<ExchangeId, …>`, so adding an id here fails the build until they do).
 */
export const CONNECTION_MODES = ['paper', 'sandbox', 'live'] as const;
export type ConnectionMode = (typeof CONNECTION_MODES)[number];

export type CredentialField = 'apiKey' | 'secret' | 'passphrase';

/** How an exchange tells us whether a key may withdraw funds. */
export type WithdrawalPermissionSupport =
  /** The key's permissions are queryable; live keys with withdrawal rights are refused. */
  | 'reported'
  /** The exchange has no endpoint for it; the user is told to create a trade-only key. */
  | 'not-reported'
  /** Keys of this venue cannot move funds out at all (e.g. broker trading keys). */
  | 'not-applicable';

export interface ExchangeInfo {
  readonly name: string;
  readonly kind: 'paper' | 'crypto-exchange' | 'broker';
  readonly modes: readonly ConnectionMode[];
  readonly credentials: readonly CredentialField[];
  readonly withdrawalPermission: WithdrawalPermissionSupport;
}

export const EXCHANGE_IDS = ['paper', 'alpaca', 'binance', 'coinbase', 'kraken', 'kucoin', 'okx'] as const;
export type ExchangeId = (typeof EXCHANGE_IDS)[number];

export const EXCHANGES: Readonly<Record<ExchangeId, ExchangeInfo>> = {
  paper: { name: 'Paper (simulated)', kind: 'paper', modes: ['paper'], credentials: [], withdrawalPermission: 'not-applicable' },
  alpaca: { name: 'Alpaca', kind: 'broker', modes: ['sandbox', 'live'], credentials: ['apiKey', 'secret'], withdrawalPermission: 'not-applicable' },
  binance: { name: 'Binance', kind: 'crypto-exchange', modes: ['sandbox', 'live'], credentials: ['apiKey', 'secret'], withdrawalPermission: 'reported' },
  coinbase: { name: 'Coinbase Advanced Trade', kind: 'crypto-exchange', modes: ['live'], credentials: ['apiKey', 'secret'], withdrawalPermission: 'reported' },
  kraken: { name: 'Kraken', kind: 'crypto-exchange', modes: ['live'], credentials: ['apiKey', 'secret'], withdrawalPermission: 'not-reported' },
  kucoin: { name: 'KuCoin', kind: 'crypto-exchange', modes: ['live'], credentials: ['apiKey', 'secret', 'passphrase'], withdrawalPermission: 'reported' },
  okx: { name: 'OKX', kind: 'crypto-exchange', modes: ['sandbox', 'live'], credentials: ['apiKey', 'secret', 'passphrase'], withdrawalPermission: 'reported' },
};

export const isExchangeId = (value: string): value is ExchangeId => (EXCHANGE_IDS as readonly string[]).includes(value);
