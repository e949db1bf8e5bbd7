// A rate-limited, delaying work queue with client-go's semantics: a key is queued at most once (dedupe), is
// never handed to two workers at once, and a key re-added while in flight is processed again after done().
import type { Clock } from './clock.ts';
import { realClock } from './clock.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { defaultControllerRateLimiter } from './rate-limiter.ts';

export interface QueueObserver {
  add?(): void;
  depth?(depth: number): void;
  retry?(): void;
  /** Seconds a key waited between being added and picked up. */
  queued?(seconds: number): void;
  /** Seconds a worker held a key. */
  worked?(seconds: number): void;
}

export class WorkQueue {
  private readonly clock: Clock;
  private readonly limiter: RateLimiter<string>;
  private readonly observer: QueueObserver;
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Map<string, number>();
  private readonly addedAt = new Map<string, number>();
  /** Delayed keys: when each becomes ready, and its timer. A duplicate keeps the earlier time. */
  private readonly waiting = new Map<string, { at: number; timer: unknown }>();
  private readonly getters: ((key: string | undefined) => void)[] = [];
  private readonly drainers: (() => void)[] = [];
  private shuttingDown = false;

  constructor(options: { clock?: Clock; rateLimiter?: RateLimiter<string>; observer?: QueueObserver } = {}) {
    this.clock = options.clock ?? realClock;
    this.limiter = options.rateLimiter ?? defaultControllerRateLimiter(this.clock);
    this.observer = options.observer ?? {};
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.observer.add?.();
    this.dirty.add(key);
    this.addedAt.set(key, this.clock.now());
    if (this.processing.has(key)) return;
    const getter = this.getters.shift();
    if (getter) this.handOut(key, getter);
    else {
      this.queue.push(key);
      this.observer.depth?.(this.queue.length);
    }
  }

  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const existing = this.waiting.get(key);
    if (existing && existing.at <= at) return;
    if (existing) this.clock.clearTimeout(existing.timer);
    const timer = this.clock.setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, ms);
    this.waiting.set(key, { at, timer });
  }

  /** Requeue after the rate limiter's delay for this key (exponential per key, bounded overall). */
  addRateLimited(key: string): number {
    const delay = this.limiter.when(key);
    this.observer.retry?.();
    this.addAfter(key, delay);
    return delay;
  }

  /** The key succeeded: its backoff starts again from the base delay. */
  forget(key: string): void {
    this.limiter.forget(key);
  }

  retries(key: string): number {
    return this.limiter.retries(key);
  }

  /** The next key to work on, or undefined once the queue is shut down. Call done(key) afterwards. */
  get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.observer.depth?.(this.queue.length);
      return Promise.resolve(this.take(key));
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolveGet) => this.getters.push(resolveGet));
  }

  done(key: string): void {
    const started = this.processing.get(key);
    if (started !== undefined) this.observer.worked?.((this.clock.now() - started) / 1000);
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) {
      const getter = this.getters.shift();
      if (getter) this.handOut(key, getter);
      else {
        this.queue.push(key);
        this.observer.depth?.(this.queue.length);
      }
    }
    if (this.processing.size === 0) for (const drained of this.drainers.splice(0)) drained();
  }

  get length(): number {
    return this.queue.length;
  }

  /** Keys being worked on, with how long (ms) each has been held. */
  inFlight(): Map<string, number> {
    const now = this.clock.now();
    return new Map([...this.processing].map(([k, t]) => [k, now - t]));
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops handing out keys (waiting get() calls resolve undefined) and resolves once in-flight keys are done. */
  shutDownWithDrain(): Promise<void> {
    this.shuttingDown = true;
    for (const { timer } of this.waiting.values()) this.clock.clearTimeout(timer);
    this.waiting.clear();
    for (const getter of this.getters.splice(0)) getter(undefined);
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolveDrain) => this.drainers.push(resolveDrain));
  }

  private take(key: string): string {
    this.dirty.delete(key);
    this.processing.set(key, this.clock.now());
    const added = this.addedAt.get(key);
    this.addedAt.delete(key);
    if (added !== undefined) this.observer.queued?.((this.clock.now() - added) / 1000);
    return key;
  }

  private handOut(key: string, getter: (key: string | undefined) => void): void {
    getter(this.take(key));
  }
}
