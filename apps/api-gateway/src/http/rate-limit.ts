// Per-client-IP rate limiting: an in-memory token bucket of `max` requests refilled evenly over `windowMs`
// (upstream: express-rate-limit, 100 per 60 s, per process). Buckets that have refilled are forgotten, and the
// number of remembered clients is bounded, so a flood of source addresses cannot grow memory without limit.
import type { Context, Next } from 'koa';
import { ApiError } from './errors.ts';

export interface Decision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again (RateLimit-Reset). */
  resetSeconds: number;
  /** Seconds until the next request is allowed (Retry-After, when refused). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBucketLimiter {
  readonly max: number;
  readonly windowMs: number;
  private readonly perMs: number;
  private readonly maxClients: number;
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = 0;

  constructor(max: number, windowMs: number, maxClients = 100_000) {
    this.max = max;
    this.windowMs = windowMs;
    this.perMs = max / windowMs;
    this.maxClients = maxClients;
  }

  get clients(): number {
    return this.buckets.size;
  }

  take(key: string, now: number): Decision {
    if (now - this.lastSweep >= this.windowMs) this.sweep(now);
    const bucket = this.buckets.get(key) ?? this.admit(key, now);
    bucket.tokens = Math.min(this.max, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    return {
      allowed,
      limit: this.max,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil((this.max - bucket.tokens) / this.perMs / 1000),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)),
    };
  }

  private admit(key: string, now: number): Bucket {
    if (this.buckets.size >= this.maxClients) {
      this.sweep(now);
      // Still full: forget the client seen longest ago (Map iteration is insertion order).
      const oldest = this.buckets.keys().next();
      if (this.buckets.size >= this.maxClients && !oldest.done) this.buckets.delete(oldest.value);
    }
    const bucket = { tokens: this.max, at: now };
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Drops buckets that would be full by now: forgetting them changes nothing. */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, b] of this.buckets)
      if (b.tokens + (now - b.at) * this.perMs >= this.max) this.buckets.delete(key);
  }
}

/** Upstream's 429 body and express-rate-limit's standard (draft-6) RateLimit-* headers. */
export function rateLimit(limiter: TokenBucketLimiter | undefined, now: () => number = Date.now) {
  return async function limit(ctx: Context, next: Next): Promise<void> {
    if (!limiter) {
      await next();
      return;
    }
    const d = limiter.take(ctx.ip, now());
    const headers = {
      'RateLimit-Policy': `${d.limit};w=${Math.round(limiter.windowMs / 1000)}`,
      'RateLimit-Limit': String(d.limit),
      'RateLimit-Remaining': String(d.remaining),
      'RateLimit-Reset': String(d.resetSeconds),
    };
    if (!d.allowed)
      throw new ApiError(
        429,
        { error: 'Too many requests, please try again later' },
        { ...headers, 'Retry-After': String(d.retryAfterSeconds) },
      );
    ctx.set(headers);
    await next();
  };
}
