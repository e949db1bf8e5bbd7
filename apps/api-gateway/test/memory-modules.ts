// An in-memory ModuleReader, so the Koa app can be driven without a cluster (the routing unit test). It holds
// entries as the informer-backed ModuleCache would hand them out: sorted by namespace and name.
import type { KubeObject } from '@eevee/runtime';
import type { ModuleEntry, ModuleReader } from '../src/kube/module-cache.ts';
import { botModuleObject, entryOf } from './fixtures.ts';

export class MemoryModules implements ModuleReader {
  version = 0;
  synced = true;
  private entries: ModuleEntry[] = [];

  set(entries: ModuleEntry[]): void {
    this.entries = [...entries].sort(
      (a, b) =>
        (a.raw.metadata.namespace ?? '').localeCompare(b.raw.metadata.namespace ?? '') ||
        a.raw.metadata.name.localeCompare(b.raw.metadata.name),
    );
    this.version += 1;
  }

  notSynced(): string[] {
    return this.synced ? [] : ['cache of botmodules not synced'];
  }

  get(namespace: string, name: string): ModuleEntry | undefined {
    return this.entries.find((e) => e.raw.metadata.namespace === namespace && e.raw.metadata.name === name);
  }

  list(namespace?: string): ModuleEntry[] {
    return this.entries.filter((e) => namespace === undefined || e.raw.metadata.namespace === namespace);
  }
}

/** A BotModule entry in any namespace (the fixtures' objects live in `bots`). */
export function moduleIn(namespace: string, name: string, spec: Record<string, unknown> = {}): ModuleEntry {
  const raw: KubeObject = botModuleObject(name, {
    moduleName: name,
    image: `ghcr.io/eeveebot/${name}`,
    ...spec,
  });
  return entryOf({ ...raw, metadata: { ...raw.metadata, namespace } });
}
