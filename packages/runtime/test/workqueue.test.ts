import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/clock.ts';
import {
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  TokenBucketRateLimiter,
  defaultControllerRateLimiter,
} from '../src/rate-limiter.ts';
import { WorkQueue } from '../src/workqueue.ts';

function queue(clock = new FakeClock()) {
  return { clock, q: new WorkQueue({ clock, rateLimiter: defaultControllerRateLimiter(clock) }) };
}

describe('WorkQueue', () => {
  it('dedupes a key added several times before it is picked up', async () => {
    const { q } = queue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('never hands a key to two workers; a key re-added in flight runs again after done()', async () => {
    const { q } = queue();
    q.add('a');
    const first = await q.get();
    q.add('a');
    expect(q.length).toBe(0); // not queued while in flight
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done(first!);
    await Promise.resolve();
    expect(second).toBe('a');
  });

  it('keeps the earlier time when a delayed key is added again, and addAfter wakes a waiting worker', async () => {
    const { q, clock } = queue();
    q.addAfter('a', 1000);
    q.addAfter('a', 5000);
    q.addAfter('a', 300);
    let got: string | undefined;
    void q.get().then((k) => (got = k));
    clock.advance(299);
    await Promise.resolve();
    expect(got).toBeUndefined();
    clock.advance(1);
    await Promise.resolve();
    expect(got).toBe('a');
    expect(clock.pending()).toBe(0);
  });

  it('backs off per key exponentially from 5 ms, capped at 1000 s, and forget() resets it', () => {
    const limiter = new ItemExponentialRateLimiter<string>(5, 1_000_000);
    const delays = Array.from({ length: 20 }, () => limiter.when('a'));
    expect(delays.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
    expect(Math.max(...delays)).toBe(1_000_000);
    expect(delays.at(-1)).toBe(1_000_000);
    expect(limiter.when('b')).toBe(5);
    limiter.forget('a');
    expect(limiter.when('a')).toBe(5);
  });

  it('limits overall retries with a token bucket (10/s, burst 100)', () => {
    const clock = new FakeClock();
    const limiter = new MaxOfRateLimiter<string>(
      new ItemExponentialRateLimiter(5, 1_000_000),
      new TokenBucketRateLimiter(clock, 10, 100),
    );
    const delays = Array.from({ length: 102 }, (_, i) => limiter.when(`k${i}`));
    expect(delays.slice(0, 100).every((d) => d === 5)).toBe(true);
    expect(delays[100]).toBe(100);
    expect(delays[101]).toBe(200);
    clock.advance(10_000);
    expect(limiter.when('fresh')).toBe(5);
  });

  it('requeues a failed key after its backoff and counts retries', async () => {
    const { q, clock } = queue();
    q.add('a');
    const key = (await q.get())!;
    expect(q.addRateLimited(key)).toBe(5);
    q.done(key);
    expect(q.length).toBe(0);
    clock.advance(5);
    expect(q.length).toBe(1);
    expect(q.retries('a')).toBe(1);
  });

  it('drains on shutdown: waiting workers get undefined, in-flight keys finish, new adds are ignored', async () => {
    const { q } = queue();
    q.add('a');
    const key = (await q.get())!;
    const waiting = q.get();
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => (drained = true));
    expect(await waiting).toBeUndefined();
    q.add('b');
    await Promise.resolve();
    expect(drained).toBe(false);
    q.done(key);
    await drain;
    expect(drained).toBe(true);
    expect(await q.get()).toBeUndefined();
  });
});
