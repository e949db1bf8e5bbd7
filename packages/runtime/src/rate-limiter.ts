// Retry delays as client-go's DefaultControllerRateLimiter: the larger of a per-item exponential backoff
// (5 ms doubling to 1000 s) and an overall token bucket (10 retries/s, burst 100) that only slows retries.
import type { Clock } from './clock.ts';

export interface RateLimiter<K> {
  when(key: K): number;
  forget(key: K): void;
  retries(key: K): number;
}

export class ItemExponentialRateLimiter<K> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;
  constructor(baseMs = 5, maxMs = 1_000_000) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
  }
  when(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(this.baseMs * 2 ** n, this.maxMs);
  }
  forget(key: K): void {
    this.failures.delete(key);
  }
  retries(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}

export class TokenBucketRateLimiter<K> implements RateLimiter<K> {
  private tokens: number;
  private last: number;
  private readonly clock: Clock;
  private readonly perSecond: number;
  private readonly burst: number;
  constructor(clock: Clock, perSecond = 10, burst = 100) {
    this.clock = clock;
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
    this.last = clock.now();
  }
  /** Reserves a token and says how long until it is available. */
  when(_key: K): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.perSecond) * 1000);
  }
  forget(_key: K): void {}
  retries(_key: K): number {
    return 0;
  }
}

export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private readonly limiters: RateLimiter<K>[];
  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters;
  }
  when(key: K): number {
    return Math.max(...this.limiters.map((l) => l.when(key)));
  }
  forget(key: K): void {
    for (const l of this.limiters) l.forget(key);
  }
  retries(key: K): number {
    return Math.max(...this.limiters.map((l) => l.retries(key)));
  }
}

export function defaultControllerRateLimiter<K>(clock: Clock): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(
    new ItemExponentialRateLimiter<K>(5, 1_000_000),
    new TokenBucketRateLimiter<K>(clock, 10, 100),
  );
}
