// Serialized answers built from the caches, validated against their response schemas once and reused until
// the caches change: a list of 1,000 modules is built once per change, not once per request.
import type { z } from 'zod';
import type { ModuleReader } from '../kube/module-cache.ts';
import type { RecentEvents } from '../events/recent-events.ts';
import { moduleListSchema, upstreamBotModuleListSchema } from '../schemas.ts';
import { moduleView } from './module-view.ts';
import { upstreamBotModule } from './upstream.ts';

export class ViewCache {
  private readonly cache: ModuleReader;
  private readonly events: RecentEvents;
  private version = '';
  private readonly built = new Map<string, Buffer>();

  constructor(cache: ModuleReader, events: RecentEvents) {
    this.cache = cache;
    this.events = events;
  }

  /** GET /api/bot-modules: the home namespace, upstream shape. */
  upstreamList(namespace: string): Buffer {
    return this.memo(`upstream:${namespace}`, upstreamBotModuleListSchema, () =>
      this.cache.list(namespace).map(upstreamBotModule),
    );
  }

  /** GET /api/v1/...botmodules: one namespace, or every served one. */
  list(namespace: string | undefined): Buffer {
    return this.memo(`v1:${namespace ?? '*'}`, moduleListSchema, () => ({
      items: this.cache.list(namespace).map(moduleView),
    }));
  }

  /** Anything else derived from the caches and the event list (the status page). */
  derived(key: string, build: () => string): Buffer {
    this.invalidateIfChanged();
    const hit = this.built.get(key);
    if (hit) return hit;
    const body = Buffer.from(build());
    this.built.set(key, body);
    return body;
  }

  private memo<S extends z.ZodType>(key: string, schema: S, build: () => z.input<S>): Buffer {
    // A body that does not match its schema is a bug here: parse throws, the request answers 500 and is logged.
    return this.derived(key, () => JSON.stringify(schema.parse(build())));
  }

  private invalidateIfChanged(): void {
    const version = `${this.cache.version}/${this.events.version}`;
    if (version === this.version) return;
    this.version = version;
    this.built.clear();
  }
}
