/**
 * The one table from error codes to HTTP statuses. Every route answers errors through it, so a code
 * means the same status everywhere. Add a row when a new code appears; unmapped codes answer 500 and
 * are logged as a bug.
 */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  'VALIDATION.FAILED': 400,
  'AUTH.REQUIRED': 401,
  'AUTH.INVALID_PRINCIPAL': 401,
  'AUTH.INVALID_TOKEN': 401,
  'AUTH.TOKEN_EXPIRED': 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  /** State conflicts, including a stale ETag (Cosmos answers 412; the API says CONFLICT). */
  CONFLICT: 409,
  'LIMIT.TOO_MANY_TOKENS': 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PRECONDITION_REQUIRED: 428,
  INTERNAL: 500,
  /** Bots: a command or config change the bot's current state does not allow (details name the state). */
  'BOT.INVALID_TRANSITION': 409,
  'BOT.CONFIG_LOCKED': 409,
  'BOT.INVALID_CONFIG': 400,
  'BOT.NOT_FOUND': 404,
  /** The bot's connection is gone, or cannot trade (e.g. a live key that has not passed its test). */
  'BOT.CONNECTION_UNAVAILABLE': 409,
  /** The tenant's kill switch is engaged: no bot may start or resume until it is released. */
  'KILL_SWITCH.ENGAGED': 409,
  /** Webhook signals (docs/webhooks.md); the hook intake answers with the same statuses. */
  'SIGNAL.UNAUTHENTICATED': 401,
  'SIGNAL.STALE': 401,
  'SIGNAL.SOURCE_NOT_ALLOWED': 403,
  'SIGNAL.ACTION_NOT_ALLOWED': 403,
  'SIGNAL.MARKET_MISMATCH': 400,
  'SIGNAL.BOT_NOT_ACCEPTING': 409,
  'SIGNAL.NOT_REPLAYABLE': 409,
  'SIGNAL.RATE_LIMITED': 429,
  'SIGNAL.UNAVAILABLE': 503,
  /** Live updates (Web PubSub) are not configured on this deployment; pages fall back to polling. */
  'LIVE.UNAVAILABLE': 503,
};

/** Families whose members all share a status, for codes added later in those namespaces. */
const PREFIX_STATUS: readonly (readonly [string, number])[] = [
  ['AUTH.', 401],
  ['VALIDATION.', 400],
  /** A risk limit refused (bots record these as events; an API answer with one is a conflict with the limits). */
  ['RISK.', 409],
  ['KILL_SWITCH.', 409],
];

export function statusForCode(code: string): number | undefined {
  const exact = ERROR_STATUS[code];
  if (exact !== undefined) return exact;
  return PREFIX_STATUS.find(([prefix]) => code.startsWith(prefix))?.[1];
}
