/**
 * Per-hook rate limit as a token bucket: `burst` tokens at most, refilled at `perMinute` per minute.
 * Pure: the state and the clock come in, the new state goes out.
 */
import { z } from 'zod';

export interface RateLimit {
  /** Requests accepted back to back from a full bucket. */
  readonly burst: number;
  /** Sustained requests per minute. */
  readonly perMinute: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 10, perMinute: 60 };

export const rateLimitSchema = z.strictObject({
  burst: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
  perMinute: z.number().int('must be a whole number').min(1, 'must be at least 1').max(6000, 'must be at most 6000'),
});

export interface BucketState {
  readonly tokens: number;
  readonly updatedMs: number;
}

export type TakeResult =
  | { readonly allowed: true; readonly state: BucketState }
  | { readonly allowed: false; readonly state: BucketState; readonly retryAfterMs: number };

export const fullBucket = (limit: RateLimit, nowMs: number): BucketState => ({ tokens: limit.burst, updatedMs: nowMs });

export function takeToken(state: BucketState | undefined, limit: RateLimit, nowMs: number): TakeResult {
  const refilled = refill(state ?? fullBucket(limit, nowMs), limit, nowMs);
  if (refilled.tokens >= 1) return { allowed: true, state: { tokens: refilled.tokens - 1, updatedMs: refilled.updatedMs } };
  const perMs = limit.perMinute / 60_000;
  return { allowed: false, state: refilled, retryAfterMs: Math.ceil((1 - refilled.tokens) / perMs) };
}

function refill(state: BucketState, limit: RateLimit, nowMs: number): BucketState {
  // A clock that went backwards refills nothing (and never drains).
  const elapsed = Math.max(0, nowMs - state.updatedMs);
  const tokens = Math.min(limit.burst, state.tokens + (elapsed * limit.perMinute) / 60_000);
  return { tokens, updatedMs: Math.max(nowMs, state.updatedMs) };
}

/**
 * The buckets of the hooks one process serves (in memory: each Function App instance limits on its
 * own). Bounded: the oldest entries go first when it is full, which only ever refills a bucket.
 */
export class RateLimiterTable {
  private readonly buckets = new Map<string, BucketState>();

  constructor(private readonly maxEntries = 10_000) {}

  take(key: string, limit: RateLimit, nowMs: number): TakeResult {
    const result = takeToken(this.buckets.get(key), limit, nowMs);
    this.buckets.delete(key);
    this.buckets.set(key, result.state);
    if (this.buckets.size > this.maxEntries) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    return result;
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }
}
