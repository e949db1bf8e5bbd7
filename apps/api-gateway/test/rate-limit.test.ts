import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from '../src/http/rate-limit.ts';

describe('TokenBucketLimiter', () => {
  it('allows max requests at once, then refuses with Retry-After until tokens refill', () => {
    const limiter = new TokenBucketLimiter(100, 60_000);
    for (let i = 0; i < 100; i++) expect(limiter.take('1.2.3.4', 0).allowed).toBe(true);
    const refused = limiter.take('1.2.3.4', 0);
    expect(refused).toMatchObject({ allowed: false, limit: 100, remaining: 0, retryAfterSeconds: 1 });
    expect(refused.resetSeconds).toBe(60);
    // 100 per 60 s: one token every 600 ms.
    expect(limiter.take('1.2.3.4', 599).allowed).toBe(false);
    expect(limiter.take('1.2.3.4', 600).allowed).toBe(true);
    expect(limiter.take('1.2.3.4', 600).allowed).toBe(false);
  });

  it('keeps one bucket per client', () => {
    const limiter = new TokenBucketLimiter(2, 1000);
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(false);
    expect(limiter.take('b', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).remaining).toBe(0);
  });

  it('refills to max, never beyond', () => {
    const limiter = new TokenBucketLimiter(3, 3000);
    limiter.take('a', 0);
    expect(limiter.take('a', 1_000_000).remaining).toBe(2);
  });

  it('forgets clients whose bucket has refilled and bounds how many it remembers', () => {
    const limiter = new TokenBucketLimiter(10, 1000, 100);
    for (let i = 0; i < 1000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`, 0);
    expect(limiter.clients).toBeLessThanOrEqual(100);
    limiter.take('late', 5000);
    expect(limiter.clients).toBe(1);
  });
});
