// List + watch of one resource type into a local cache, with client-go's reflector behaviour that the
// client-node informer lacks: bookmarks requested, a random server-side watch timeout (5-10 min), relist on
// 410 Gone, restart with backoff (800 ms doubling to 30 s, jittered) on any other error, and a stalled watch
// (no byte for 30 s) resumed from the last resourceVersion.
import type { z } from 'zod';
import { jitter } from './clock.ts';
import type { KubeClient, KubeObject, ResourceType } from './kube-client.ts';
import { KubeApiError, METADATA_WATCH, resourcePath } from './kube-client.ts';
import type { Logger } from './logger.ts';
import { WatchHttpError, WatchStalledError, watchOnce } from './watch.ts';

export type InformerEvent = 'add' | 'update' | 'delete';
export type InformerHandler<T> = (event: InformerEvent, obj: T) => void;

export interface InformerOptions<T> {
  namespace?: string;
  labelSelector?: string;
  /** zod schema of our CRDs: getTyped() returns the parsed object (defaults applied) or the error. */
  schema?: z.ZodType<T>;
  logger?: Logger;
  /** Seconds the server keeps a watch open before ending it; random in [min, 2*min] (client-go: 300). */
  minWatchTimeoutSeconds?: number;
}

export interface InformerStats {
  lists: number;
  watches: number;
  gone: number;
  errors: number;
}

export const keyOf = (obj: { metadata: { name: string; namespace?: string } }): string =>
  obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;

export class Informer<T = KubeObject> {
  readonly type: ResourceType;
  readonly stats: InformerStats = { lists: 0, watches: 0, gone: 0, errors: 0 };
  private readonly client: KubeClient;
  private readonly options: InformerOptions<T>;
  private readonly store = new Map<string, KubeObject>();
  private readonly typed = new Map<string, { rv: string | undefined; result: z.ZodSafeParseResult<T> }>();
  private readonly handlers: InformerHandler<KubeObject>[] = [];
  private readonly syncWaiters: (() => void)[] = [];
  private resourceVersion: string | undefined;
  private synced = false;
  private running = false;
  private abort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(client: KubeClient, type: ResourceType, options: InformerOptions<T> = {}) {
    this.client = client;
    this.type = type;
    this.options = options;
  }

  /** Handlers run synchronously on every change and must only enqueue keys (a throw is logged, not fatal). */
  onChange(handler: InformerHandler<KubeObject>): void {
    this.handlers.push(handler);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops watching; the cache and resourceVersion are kept, so start() resumes where it stopped. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    this.wake?.();
    await this.loop;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(timeoutMs = 120_000): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolveSync, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`cache of ${this.type.plural} did not sync within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.syncWaiters.push(() => {
        clearTimeout(timer);
        resolveSync();
      });
    });
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(namespace ? `${namespace}/${name}` : name);
  }

  list(namespace?: string): KubeObject[] {
    const all = [...this.store.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  get size(): number {
    return this.store.size;
  }

  /** The cached object parsed with the kind's zod schema (memoized per resourceVersion). */
  getTyped(namespace: string | undefined, name: string): z.ZodSafeParseResult<T> | undefined {
    const obj = this.get(namespace, name);
    if (!obj || !this.options.schema) return undefined;
    const key = keyOf(obj);
    const memo = this.typed.get(key);
    if (memo && memo.rv === obj.metadata.resourceVersion) return memo.result;
    const result = this.options.schema.safeParse(obj);
    this.typed.set(key, { rv: obj.metadata.resourceVersion, result });
    return result;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        const outcome = await this.watchOnce();
        if (outcome === 'gone') {
          this.stats.gone += 1;
          this.resourceVersion = undefined;
        }
        failures = 0;
      } catch (err) {
        if (!this.running) break;
        this.stats.errors += 1;
        if (err instanceof KubeApiError && err.code === 410) this.resourceVersion = undefined;
        const delay = Math.min(800 * 2 ** failures, 30_000);
        failures += 1;
        this.options.logger?.warn('list/watch failed; retrying', {
          resource: this.type.plural,
          error: (err as Error).message,
          retryInMs: Math.round(delay),
        });
        await this.sleep(jitter(delay, 1.0));
      }
    }
  }

  private async relist(): Promise<void> {
    this.stats.lists += 1;
    const list = await this.client.list(this.type, {
      ...(this.options.namespace ? { namespace: this.options.namespace } : {}),
      ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
    });
    const seen = new Set<string>();
    for (const item of list.items) {
      // List items of built-in kinds come without apiVersion/kind.
      const obj = this.clean({ ...item, apiVersion: this.type.apiVersion, kind: this.type.kind });
      seen.add(keyOf(obj));
      this.upsert(obj);
    }
    for (const [key, obj] of this.store) {
      if (!seen.has(key)) {
        this.store.delete(key);
        this.typed.delete(key);
        this.emit('delete', obj);
      }
    }
    this.resourceVersion = list.metadata.resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const waiter of this.syncWaiters.splice(0)) waiter();
    }
  }

  /** What the cache keeps of an object: no managedFields, and only what the type's cacheTransform keeps. */
  private clean(obj: KubeObject): KubeObject {
    const stripped = strip(obj);
    return this.type.cacheTransform ? this.type.cacheTransform.apply(stripped) : stripped;
  }

  /** One watch from the current resourceVersion; resolves when it ends ('gone' means relist). */
  private async watchOnce(): Promise<'ended' | 'gone'> {
    this.stats.watches += 1;
    const min = this.options.minWatchTimeoutSeconds ?? 300;
    let gone = false;
    const abort = new AbortController();
    this.abort = abort;
    if (!this.running) return 'ended';
    this.client.authorize?.('watch', this.type);
    try {
      await watchOnce(
        this.client.connection,
        resourcePath(this.type, this.options.namespace),
        {
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: Math.round(min + Math.random() * min),
          labelSelector: this.options.labelSelector,
        },
        ({ type, object }) => {
          if (type === 'ERROR') {
            if (object.code === 410) gone = true;
            else throw new Error(`watch error: ${JSON.stringify(object).slice(0, 300)}`);
            return;
          }
          const obj = object as unknown as KubeObject;
          if (obj.metadata?.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
          if (type === 'BOOKMARK') return;
          // One informer holds one type (metadata-only watches say PartialObjectMetadata): name it by the type.
          const clean = this.clean({ ...obj, apiVersion: this.type.apiVersion, kind: this.type.kind });
          if (type === 'DELETED') {
            this.store.delete(keyOf(clean));
            this.typed.delete(keyOf(clean));
            this.emit('delete', clean);
          } else this.upsert(clean);
        },
        { signal: abort.signal, ...(this.type.metadataOnly ? { accept: METADATA_WATCH } : {}) },
      );
    } catch (err) {
      // A stalled connection (no byte for 30 s) resumes from the last resourceVersion, without backoff.
      if (err instanceof WatchStalledError) return 'ended';
      if (err instanceof WatchHttpError && err.statusCode === 410) return 'gone';
      if (this.running) throw err;
    }
    return gone ? 'gone' : 'ended';
  }

  private upsert(obj: KubeObject): void {
    const key = keyOf(obj);
    const old = this.store.get(key);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.store.set(key, obj);
    this.emit(old ? 'update' : 'add', obj);
  }

  private emit(event: InformerEvent, obj: KubeObject): void {
    for (const handler of this.handlers) {
      try {
        handler(event, obj);
      } catch (err) {
        this.options.logger?.error('informer handler threw', {
          resource: this.type.plural,
          error: (err as Error).message,
        });
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolveSleep) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolveSleep();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolveSleep();
      };
    });
  }
}

/** managedFields are large and never read by controllers: drop them before caching. */
function strip<T extends KubeObject>(obj: T): T {
  if (obj.metadata?.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
