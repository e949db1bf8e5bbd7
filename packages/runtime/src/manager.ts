// Runs a set of controllers in one process: config, logs, shared informers, leader election, health and
// metrics, the NATS event bus, and graceful shutdown. An app's main.ts is runManager({ name, controllers }).
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import type { z } from 'zod';
import type { KubeObject, KubeconfigSource, ResourceType } from './kube-client.ts';
import type { Connection } from './kube-config.ts';
import { defaultConnection, inClusterConnection } from './kube-config.ts';
import { KubeClient, resourceOfPath } from './kube-client.ts';
import type { RuntimeConfig } from './config.ts';
import { loadConfigOrExit, parseConfig } from './config.ts';
import type { ControllerDefinition } from './controller.ts';
import { Controller } from './controller.ts';
import { EventBus } from './event-bus.ts';
import { EventRecorder } from './events.ts';
import { startHealthServer } from './health-server.ts';
import { Informer } from './informer.ts';
import { LeaderElector } from './leader-election.ts';
import { accessGuard, managerPermissions } from './permissions.ts';
import type { Logger } from './logger.ts';
import { createLogger } from './logger.ts';
import { RuntimeMetrics } from './metrics.ts';

export interface ManagerOptions {
  /** Names the process: field manager `eevee-<name>`, lease `eevee-<name>`, metric labels. */
  name: string;
  /** Each made with defineController(), which keeps its own kind's types. */
  controllers: ControllerDefinition<unknown>[];
  /** Default: from the environment (KUBE_IN_CLUSTER_CONFIG, else KUBECONFIG / ~/.kube/config). */
  kubeConfig?: Connection | KubeconfigSource;
  /** Default: process.env, validated (exit 2 on a bad value); tests pass their own. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Default true: SIGTERM/SIGINT shut down gracefully and exit 0. */
  handleSignals?: boolean;
}

export class Manager {
  readonly config: RuntimeConfig;
  readonly client: KubeClient;
  readonly logger: Logger;
  readonly metrics = new RuntimeMetrics();
  readonly controllers: Controller<unknown>[] = [];
  readonly identity: string;
  bus: EventBus | undefined;
  private readonly informers = new Map<string, Informer>();
  private started = false;
  private readonly elector: LeaderElector | undefined;
  private servers: Server[] = [];
  private stopping: Promise<void> | undefined;

  constructor(options: ManagerOptions, config: RuntimeConfig) {
    this.config = config;
    this.logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: options.name });
    this.client = new KubeClient(
      options.kubeConfig ?? (config.KUBE_IN_CLUSTER_CONFIG ? inClusterConnection() : defaultConnection()),
    );
    this.client.onWrite = (verb, path) =>
      this.metrics.apiWrites.inc({ verb, resource: resourceOfPath(path) });
    // Object-state metrics from every status a reconciler states; a reconcile still finishing after the lease
    // was lost records nothing (the new leader exports the states).
    this.client.onStatus = (type, obj, status) => {
      if (this.isLeader()) this.metrics.objects.observe(type.kind, obj.metadata, status);
    };
    // Every call the controllers make must be declared (permissions.ts): what RBAC grants is derived from it.
    this.client.authorize = accessGuard(
      managerPermissions(options.controllers, { leaderElection: config.LEADER_ELECT }),
    );
    this.identity = `${config.POD_NAME ?? hostname()}_${process.pid}`;
    const fieldManager = `eevee-${options.name}`;
    const events = new EventRecorder(this.client, options.name, { logger: this.logger });
    // Every controller's own kind first, with its schema: another controller may watch the same kind.
    for (const definition of options.controllers) this.informer(definition.for, definition.schema);
    for (const definition of options.controllers) {
      const primary = this.informer(definition.for, definition.schema);
      const bus = (): EventBus | undefined => this.bus;
      const controller = new Controller(
        definition,
        {
          client: this.client,
          fieldManager,
          logger: this.logger.child({ reconciler: definition.name }),
          events,
          // The bus connects in start(); reconcilers read it when they run.
          get bus() {
            return bus();
          },
          primary,
          cache: (type, labelSelector) => this.informer(type, undefined, labelSelector),
        },
        this.metrics,
        { concurrency: config.RECONCILE_CONCURRENCY, resyncSeconds: config.RESYNC_SECONDS },
      );
      primary.onChange(controller.onPrimary);
      for (const owned of definition.owns ?? []) this.informer(owned).onChange(controller.onOwned);
      for (const cache of definition.caches ?? []) this.informer(cache.type, undefined, cache.labelSelector);
      for (const watch of definition.watches ?? []) {
        this.informer(watch.type, undefined, watch.labelSelector).onChange((_e, obj) => {
          for (const key of controller.keysFor(watch, obj)) controller.enqueue(key);
        });
      }
      this.controllers.push(controller);
    }
    if (config.LEADER_ELECT) {
      this.elector = new LeaderElector(this.client, {
        namespace: config.LEADER_ELECTION_NAMESPACE ?? config.NAMESPACE ?? 'default',
        name: `eevee-${options.name}`,
        identity: this.identity,
        logger: this.logger,
        onStartedLeading: () => {
          this.metrics.leaderStatus.set({ name: `eevee-${options.name}` }, 1);
          for (const c of this.controllers) c.start();
        },
        onStoppedLeading: () => {
          this.metrics.leaderStatus.set({ name: `eevee-${options.name}` }, 0);
          this.metrics.objects.clear();
          // Stop at once: another instance may already be reconciling.
          for (const c of this.controllers) void c.stop(0);
        },
      });
    }
  }

  /** The shared informer of a type (one per type per process, scoped to NAMESPACE unless watching all). */
  informer<T = KubeObject>(type: ResourceType, schema?: z.ZodType<T>, labelSelector?: string): Informer<T> {
    const key = `${type.apiVersion}/${type.plural}${type.metadataOnly ? '#metadata' : ''}${type.cacheTransform ? `#${type.cacheTransform.name}` : ''}${labelSelector ? `?${labelSelector}` : ''}`;
    const informer = this.informers.get(key);
    if (!informer) {
      const namespace =
        type.namespaced && this.config.NAMESPACE && !this.config.WATCH_OTHER_NAMESPACES
          ? this.config.NAMESPACE
          : undefined;
      const created = new Informer<T>(this.client, type, {
        logger: this.logger,
        ...(namespace ? { namespace } : {}),
        ...(schema ? { schema } : {}),
      });
      this.informers.set(key, created as Informer<unknown> as Informer);
      // Asked for after start (not declared in owns, watches or caches): start it now; until it has synced it
      // reads as empty, so declare every cache a reconciler reads.
      if (this.started) {
        this.logger.warn('informer created after start; declare it in the controller definition', {
          type: type.plural,
        });
        created.start();
      }
      return created;
    }
    return informer as Informer<unknown> as Informer<T>;
  }

  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : true;
  }

  ready(): { ok: boolean; reasons: string[] } {
    const reasons = [...this.informers.values()]
      .filter((i) => !i.hasSynced())
      .map((i) => `cache of ${i.type.plural} not synced`);
    // A standby is ready too; what matters is that the first attempt to lead has settled.
    if (this.elector && !this.elector.attempted) reasons.push('leader election has not settled');
    return { ok: reasons.length === 0, reasons };
  }

  async start(): Promise<void> {
    // Informers first: their lists are the long pole; servers and the bus come up meanwhile.
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
    const [servers] = await Promise.all([this.startServers(), this.startBus()]);
    this.servers = servers;
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
    this.logger.info('caches synced', {
      informers: [...this.informers.values()].map((i) => `${i.type.plural}:${i.size}`),
    });
    if (this.elector) {
      this.elector.start();
    } else {
      for (const c of this.controllers) c.start();
    }
  }

  /** Stop taking work, finish in-flight reconciles within the deadline, release the lease, close everything. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.logger.info('shutting down');
      const deadline = this.config.SHUTDOWN_TIMEOUT_SECONDS * 1000;
      await Promise.all(this.controllers.map((c) => c.stop(deadline)));
      await this.elector?.stop();
      await Promise.all([...this.informers.values()].map((i) => i.stop()));
      await this.bus?.close();
      await Promise.all(this.servers.map((s) => new Promise((resolveClose) => s.close(resolveClose))));
      await this.client.close();
      this.logger.info('stopped');
    })();
    return this.stopping;
  }

  private async startBus(): Promise<void> {
    const bus = await EventBus.fromConfig(this.config, this.logger);
    if (!bus) return;
    // Hints only: an event enqueues keys sooner; the watches would get there anyway.
    for (const controller of this.controllers) {
      for (const hint of controller.definition.eventHints ?? []) {
        bus.subscribe(hint.subject, (event) => {
          for (const key of controller.keysForEvent(hint, event)) controller.enqueue(key);
        });
      }
    }
    this.bus = bus;
  }

  private async startServers(): Promise<Server[]> {
    const source = {
      ready: () => this.ready(),
      beforeScrape: () => {
        for (const c of this.controllers) this.metrics.observeInFlight(c.definition.name, c.inFlight());
      },
    };
    const ports = [...new Set([this.config.HEALTH_PORT, this.config.METRICS_PORT])];
    return Promise.all(
      ports.map((port) => startHealthServer({ port, registry: this.metrics.registry, source })),
    );
  }
}

/** Validates config, starts everything, and (by default) turns SIGTERM into a graceful exit 0. */
export async function runManager(options: ManagerOptions): Promise<Manager> {
  const config = options.env ? parseConfig(options.env) : loadConfigOrExit();
  let manager: Manager;
  try {
    manager = new Manager(options, config);
  } catch (err) {
    // No usable kubeconfig or in-cluster credentials: one clear line, like a bad setting, not a stack trace.
    if (options.env) throw err;
    process.stderr.write(`cannot start: ${(err as Error).message}\n`);
    process.exit(2);
  }
  if (options.handleSignals ?? true) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        void manager.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      });
    }
  }
  await manager.start();
  return manager;
}
