import { RateLimiterTable, takeToken, type BucketState } from '../../../../shared/signals/token-bucket.js';

const LIMIT = { burst: 3, perMinute: 60 };

describe('takeToken', () => {
  it('allows a burst from a full bucket, then refuses with the time until the next token', () => {
    let state: BucketState | undefined;
    for (let i = 0; i < 3; i++) {
      const r = takeToken(state, LIMIT, 1000);
      expect(r.allowed).toBe(true);
      state = r.state;
    }
    const refused = takeToken(state, LIMIT, 1000);
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 1000 });
  });

  it('refills at perMinute and never beyond burst', () => {
    const empty: BucketState = { tokens: 0, updatedMs: 0 };
    expect(takeToken(empty, LIMIT, 500).allowed).toBe(false);
    expect(takeToken(empty, LIMIT, 1000).allowed).toBe(true);
    const later = takeToken(empty, LIMIT, 3_600_000);
    expect(later.allowed && later.state.tokens).toBe(2);
  });

  it('sustains exactly perMinute over a long run', () => {
    let state: BucketState | undefined;
    let allowed = 0;
    for (let t = 0; t < 600_000; t += 100) {
      const r = takeToken(state, LIMIT, t);
      state = r.state;
      if (r.allowed) allowed++;
    }
    // burst + 10 minutes at 60/min (the last token of the window is not yet refilled)
    expect(allowed).toBe(3 + 600 - 1);
  });

  it('does not drain or refill when the clock goes backwards', () => {
    const state: BucketState = { tokens: 1, updatedMs: 10_000 };
    const r = takeToken(state, LIMIT, 5_000);
    expect(r.allowed && r.state).toEqual({ tokens: 0, updatedMs: 10_000 });
  });
});

describe('RateLimiterTable', () => {
  it('keeps a bucket per key and stays bounded', () => {
    const table = new RateLimiterTable(2);
    expect(table.take('a', { burst: 1, perMinute: 1 }, 0).allowed).toBe(true);
    expect(table.take('a', { burst: 1, perMinute: 1 }, 0).allowed).toBe(false);
    expect(table.take('b', { burst: 1, perMinute: 1 }, 0).allowed).toBe(true);
    table.take('c', { burst: 1, perMinute: 1 }, 0);
    // 'a' was the oldest and was evicted: it starts full again.
    expect(table.take('a', { burst: 1, perMinute: 1 }, 0).allowed).toBe(true);
  });
});
