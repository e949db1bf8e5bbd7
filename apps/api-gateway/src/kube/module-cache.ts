// The gateway's read model: informers on BotModules, their Deployments and their pods (list + watch once,
// then events), never a list call per request. `version` changes with every cached change, so views built from
// the caches can be memoized until something moves.
import { LABELS, botModuleSchema, labelValue, moduleObjectNames } from '@eevee/crds';
import type { BotModule } from '@eevee/crds';
import { Informer, RESOURCES } from '@eevee/runtime';
import type { KubeClient, KubeObject, Logger } from '@eevee/runtime';
import type { CachedDeployment, CachedPod } from './cached-types.ts';
import { GATEWAY_DEPLOYMENTS, GATEWAY_PODS } from './cached-types.ts';
import type { NamespaceScope } from './scope.ts';

/** One BotModule as the views see it: the parsed object (defaults applied) or the raw one when invalid. */
export interface ModuleEntry {
  raw: KubeObject;
  parsed: BotModule | undefined;
  deployment: CachedDeployment | undefined;
  pods: CachedPod[];
}

/**
 * What the routes, views and restarts read of the caches. ModuleCache is the informer-backed one; the routing
 * unit test gives the app an in-memory one, so the Koa app runs without a cluster.
 */
export interface ModuleReader {
  /** Changes with every cached change (memoized views are rebuilt when it does). */
  readonly version: number;
  /** Why the caches cannot answer yet (empty when they can). */
  notSynced(): string[];
  get(namespace: string, name: string): ModuleEntry | undefined;
  /** Modules of one namespace, or of every watched one, sorted by namespace and name. */
  list(namespace?: string): ModuleEntry[];
}

// Children of a module carry eevee.bot/module=<cr>: only those are cached, not every pod of the namespace.
const MODULE_CHILDREN = LABELS.module;

export class ModuleCache implements ModuleReader {
  readonly modules: Informer<BotModule>;
  readonly deployments: Informer;
  readonly pods: Informer;
  private changes = 0;
  private podIndex: { version: number; byModule: Map<string, CachedPod[]> } | undefined;

  constructor(client: KubeClient, scope: NamespaceScope, logger?: Logger) {
    const options = { ...(scope.watched ? { namespace: scope.watched } : {}), ...(logger ? { logger } : {}) };
    this.modules = new Informer<BotModule>(client, RESOURCES.BotModule, {
      ...options,
      schema: botModuleSchema,
    });
    this.deployments = new Informer(client, GATEWAY_DEPLOYMENTS, {
      ...options,
      labelSelector: MODULE_CHILDREN,
    });
    this.pods = new Informer(client, GATEWAY_PODS, { ...options, labelSelector: MODULE_CHILDREN });
    for (const informer of this.informers()) informer.onChange(() => (this.changes += 1));
  }

  /** Changes with every add, update and delete in any of the caches. */
  get version(): number {
    return this.changes;
  }

  start(): void {
    for (const informer of this.informers()) informer.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers().map((i) => i.stop()));
  }

  async waitForSync(timeoutMs?: number): Promise<void> {
    await Promise.all(this.informers().map((i) => i.waitForSync(timeoutMs)));
  }

  /** Why the caches cannot answer yet (empty when they can). */
  notSynced(): string[] {
    return this.informers()
      .filter((i) => !i.hasSynced())
      .map((i) => `cache of ${i.type.plural} not synced`);
  }

  get(namespace: string, name: string): ModuleEntry | undefined {
    const raw = this.modules.get(namespace, name);
    return raw ? this.entry(raw) : undefined;
  }

  /** Modules of one namespace, or of every watched one, sorted by namespace and name. */
  list(namespace?: string): ModuleEntry[] {
    return this.modules
      .list(namespace)
      .sort(
        (a, b) =>
          (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
          a.metadata.name.localeCompare(b.metadata.name),
      )
      .map((raw) => this.entry(raw));
  }

  private entry(raw: KubeObject): ModuleEntry {
    const namespace = raw.metadata.namespace ?? '';
    const typed = this.modules.getTyped(namespace, raw.metadata.name);
    const deployment = this.deployments.get(namespace, moduleObjectNames(raw.metadata.name).deployment);
    return {
      raw,
      parsed: typed?.success ? typed.data : undefined,
      deployment: deployment as CachedDeployment | undefined,
      pods: this.podsOf(namespace, raw.metadata.name),
    };
  }

  private podsOf(namespace: string, cr: string): CachedPod[] {
    // One pass over the pod cache per cache version, not one per module per request.
    if (this.podIndex?.version !== this.changes) {
      const byModule = new Map<string, CachedPod[]>();
      for (const pod of this.pods.list()) {
        const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.labels?.[LABELS.module] ?? ''}`;
        const pods = byModule.get(key);
        if (pods) pods.push(pod as CachedPod);
        else byModule.set(key, [pod as CachedPod]);
      }
      this.podIndex = { version: this.changes, byModule };
    }
    return this.podIndex.byModule.get(`${namespace}/${labelValue(cr)}`) ?? [];
  }

  private informers(): Informer<unknown>[] {
    return [this.modules, this.deployments, this.pods];
  }
}
