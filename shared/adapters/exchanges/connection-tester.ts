/**
 * The connection `test`: paper needs nothing; ccxt venues fetch the balance with the stored
 * credentials, and live keys that the venue reports as able to withdraw are refused (fail closed when
 * the permission cannot be read). Exchange error texts are logged redacted and never returned: they
 * quote signed URLs and headers.
 */
import type { Exchange } from 'ccxt';
import type { ConnectionTestResult, Credentials, PaperSettings, WithdrawalPermission } from '../../domain/connection.js';
import { EXCHANGES, type ConnectionMode, type ExchangeId } from '../../domain/exchange-catalog.js';
import { rewriteApiOrigins, type ApiOverrides } from './api-url-override.js';
import { CCXT_VENUES, type CcxtModule } from './ccxt-venues.js';

export interface ConnectionTestInput {
  readonly exchangeId: ExchangeId;
  readonly mode: ConnectionMode;
  readonly credentials: Credentials | undefined;
  readonly paper: PaperSettings | null;
}

/** Where the tester reports exchange errors; the API passes its redacting request log. */
export interface LogSink {
  warn(message: string): void;
  error(message: string): void;
}

export interface ConnectionTester {
  test(input: ConnectionTestInput, log: LogSink): Promise<ConnectionTestResult>;
}

export interface ConnectionTesterOptions {
  readonly nowMs: () => number;
  readonly apiOverrides?: ApiOverrides;
  readonly timeoutMs?: number;
  readonly loadCcxt?: () => Promise<CcxtModule>;
}

type Outcome = Omit<ConnectionTestResult, 'checkedAtMs'>;

export function createConnectionTester(options: ConnectionTesterOptions): ConnectionTester {
  const loadCcxt = options.loadCcxt ?? (() => import('ccxt'));
  return {
    async test(input, log) {
      const outcome = input.exchangeId === 'paper' ? paperOutcome(input.paper) : await ccxtOutcome(input, log);
      return { ...outcome, checkedAtMs: options.nowMs() };
    },
  };

  async function ccxtOutcome(input: ConnectionTestInput, log: LogSink): Promise<Outcome> {
    const creds = input.credentials;
    if (!creds?.apiKey || !creds.secret) {
      return failed('CONNECTION.CREDENTIALS_MISSING', 'No credentials are stored for this connection; set them with PATCH.', 'unknown');
    }
    const ccxt = await loadCcxt();
    const venue = CCXT_VENUES[input.exchangeId as Exclude<ExchangeId, 'paper'>];
    const opened = venue(ccxt, {
      apiKey: creds.apiKey,
      secret: creds.secret,
      ...(creds.passphrase ? { password: creds.passphrase } : {}),
      timeout: options.timeoutMs ?? 10_000,
      enableRateLimit: false,
    });
    const exchange = opened.exchange;
    if (input.mode === 'sandbox') exchange.setSandboxMode(true);
    const override = options.apiOverrides?.[input.exchangeId];
    if (override) exchange.urls.api = rewriteApiOrigins(exchange.urls.api, override) as typeof exchange.urls.api;
    // A credential check needs no market list; loading it would download megabytes per test.
    exchange.setMarkets({});

    let nonZeroBalances: number;
    try {
      nonZeroBalances = countNonZero(await exchange.fetchBalance());
    } catch (e) {
      return describeFailure(ccxt, e, log, 'balance fetch');
    }

    let withdrawal: WithdrawalPermission = EXCHANGES[input.exchangeId].withdrawalPermission === 'not-applicable' ? 'not-applicable' : 'not-reported';
    if (input.mode === 'live' && opened.withdrawalPermission) {
      try {
        withdrawal = await opened.withdrawalPermission();
      } catch (e) {
        const failure = describeFailure(ccxt, e, log, 'permission check');
        return failed('EXCHANGE.PERMISSION_CHECK_FAILED', `Could not read the key's permissions (${failure.message}) A live key must be shown to lack withdrawal rights.`, 'unknown');
      }
      if (withdrawal === 'present') {
        return failed('EXCHANGE.WITHDRAWAL_ENABLED', 'This key can withdraw funds. Create a key without withdrawal permission for live trading.', 'present');
      }
    }
    return { status: 'passed', code: 'CONNECTION.TEST_PASSED', message: 'The exchange accepted the credentials and returned a balance.', withdrawalPermission: withdrawal, nonZeroBalances };
  }
}

function paperOutcome(paper: PaperSettings | null): Outcome {
  const amount = paper?.startingBalance.amount ?? 0;
  return {
    status: 'passed',
    code: 'CONNECTION.TEST_PASSED',
    message: paper ? `Paper account with ${paper.startingBalance.amount} ${paper.startingBalance.currency}.` : 'Paper account.',
    withdrawalPermission: 'not-applicable',
    nonZeroBalances: amount > 0 ? 1 : 0,
  };
}

function failed(code: string, message: string, withdrawalPermission: WithdrawalPermission): Outcome {
  return { status: 'failed', code, message, withdrawalPermission, nonZeroBalances: null };
}

function countNonZero(balance: Awaited<ReturnType<Exchange['fetchBalance']>>): number {
  const totals = balance.total as unknown as Record<string, number | undefined> | undefined;
  return Object.values(totals ?? {}).filter((v) => typeof v === 'number' && v !== 0).length;
}

function describeFailure(ccxt: CcxtModule, e: unknown, log: LogSink, step: string): Outcome {
  const detail = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
  log.warn(`connection test ${step} failed: ${detail}`);
  if (e instanceof ccxt.PermissionDenied) return failed('EXCHANGE.PERMISSION_DENIED', 'The exchange refused the request: the key lacks a needed permission.', 'unknown');
  if (e instanceof ccxt.AuthenticationError) return failed('EXCHANGE.AUTH_FAILED', 'The exchange rejected the credentials.', 'unknown');
  if (e instanceof ccxt.NetworkError) return failed('EXCHANGE.UNREACHABLE', 'The exchange could not be reached or did not answer in time.', 'unknown');
  if (e instanceof ccxt.ExchangeError) return failed('EXCHANGE.ERROR', 'The exchange answered with an error.', 'unknown');
  // Not an exchange answer: a bug or an unexpected response shape. Log it loudly, report it as failed.
  log.error(`connection test ${step} crashed: ${e instanceof Error ? (e.stack ?? detail) : detail}`);
  return failed('EXCHANGE.UNEXPECTED_RESPONSE', 'The exchange answered in a way TradingTower does not understand.', 'unknown');
}
