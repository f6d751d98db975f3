/**
 * Exponential backoff with full jitter (a uniformly random delay up to the exponential cap), so
 * many feeds that lost the same exchange at once do not reconnect in lockstep.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 30_000 };

/** Delay before retry number `attempt` (0 = first retry); `random` returns [0, 1). */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number, random: () => number): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  // Never zero: a dead endpoint must not be hammered in a tight loop.
  return Math.max(policy.baseMs / 4, Math.floor(random() * cap));
}
