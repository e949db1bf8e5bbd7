// One controller: a work queue of "namespace/name" keys fed by informers, a bounded pool of workers calling
// reconcile, rate-limited retries, requeueAfter, and a jittered periodic resync. Workers run only while the
// manager holds the lease; informers run always, so a new leader starts from a warm cache.
import { randomUUID } from 'node:crypto';
import type { OperatorEvent } from '@eevee/crds';
import type { z } from 'zod';
import { jitter } from './clock.ts';
import type { EventBus } from './event-bus.ts';
import type { EventRecorder } from './events.ts';
import type { Informer } from './informer.ts';
import { keyOf } from './informer.ts';
import type { KubeClient, KubeObject, ResourceType } from './kube-client.ts';
import type { Logger } from './logger.ts';
import type { ApiAccess } from './permissions.ts';
import type { RuntimeMetrics } from './metrics.ts';
import { WorkQueue } from './workqueue.ts';

export interface Request {
  key: string;
  namespace: string | undefined;
  name: string;
}

export interface ReconcileResult {
  /** Reconcile this key again after this many milliseconds (e.g. to poll a rollout or re-test a store). */
  requeueAfterMs?: number;
}

/** The reconcile failed for good until the object changes: no retry. */
export class TerminalError extends Error {}

export interface ControllerContext<T> {
  client: KubeClient;
  fieldManager: string;
  logger: Logger;
  events: EventRecorder;
  bus: EventBus | undefined;
  /** The cache of the controller's own kind. */
  primary: Informer<T>;
  /** The cache of another watched type (owned or watched, with the same label selector). */
  cache(type: ResourceType, labelSelector?: string): Informer;
}

export interface ControllerDefinition<T = KubeObject> {
  name: string;
  for: ResourceType;
  schema?: z.ZodType<T>;
  /** Child types: a change to a child enqueues the object in its controller ownerReference of our kind. */
  owns?: ResourceType[];
  /** Other types (optionally only those matching a label selector), with the keys an object affects. */
  watches?: {
    type: ResourceType;
    labelSelector?: string;
    keys: (obj: KubeObject, ctx: ControllerContext<T>) => string[];
  }[];
  /**
   * Types the reconciler reads through ctx.cache without being woken by them: their informers are created and
   * synced with the others before the first reconcile (a cache first asked for later starts empty).
   */
  caches?: { type: ResourceType; labelSelector?: string }[];
  /** NATS control-plane events that should wake this controller sooner: subject and the keys to enqueue. */
  eventHints?: { subject: string; keys: (event: OperatorEvent, ctx: ControllerContext<T>) => string[] }[];
  /**
   * API calls the reconciler makes itself, beyond reading its caches (implied): status writes, children it
   * applies or prunes, objects it creates or patches, direct reads. They become the RBAC rules the
   * chart ships (permissions.ts), and the manager refuses any call not declared here.
   */
  calls?: ApiAccess[];
  reconcile: (request: Request, ctx: ControllerContext<T>) => Promise<ReconcileResult | void>;
  concurrency?: number;
  resyncSeconds?: number;
}

/** Declares a controller for runManager, keeping `T` (the parsed kind) inside its own definition. */
export function defineController<T>(definition: ControllerDefinition<T>): ControllerDefinition<unknown> {
  return definition as unknown as ControllerDefinition<unknown>;
}

export function parseKey(key: string): Request {
  const slash = key.indexOf('/');
  return slash < 0
    ? { key, namespace: undefined, name: key }
    : { key, namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Keys named by a label of the object, in its namespace (e.g. eevee.bot/module: <name> → ns/<name>). */
export function labelKeys(label: string): (obj: KubeObject) => string[] {
  return (obj) => {
    const value = obj.metadata.labels?.[label];
    return value ? [obj.metadata.namespace ? `${obj.metadata.namespace}/${value}` : value] : [];
  };
}

/** Keys of the owners of kind `owner` that control `obj` (ownerReferences with controller: true). */
export function ownerKeys(owner: ResourceType, obj: KubeObject): string[] {
  return (obj.metadata.ownerReferences ?? [])
    .filter(
      (ref) =>
        ref.controller &&
        ref.kind === owner.kind &&
        ref.apiVersion.split('/')[0] === owner.apiVersion.split('/')[0],
    )
    .map((ref) => (obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name));
}

export class Controller<T = KubeObject> {
  readonly definition: ControllerDefinition<T>;
  private readonly ctx: ControllerContext<T>;
  private readonly metrics: RuntimeMetrics;
  private readonly concurrency: number;
  private readonly resyncMs: number;
  private queue: WorkQueue | undefined;
  private workers: Promise<void>[] = [];
  private resyncTimer: NodeJS.Timeout | undefined;
  reconciles = 0;

  constructor(
    definition: ControllerDefinition<T>,
    ctx: ControllerContext<T>,
    metrics: RuntimeMetrics,
    defaults: { concurrency: number; resyncSeconds: number },
  ) {
    this.definition = definition;
    this.ctx = ctx;
    this.metrics = metrics;
    this.concurrency = definition.concurrency ?? defaults.concurrency;
    this.resyncMs = (definition.resyncSeconds ?? defaults.resyncSeconds) * 1000;
    metrics.registerController(definition.name, this.concurrency);
  }

  /** Informer handler for the primary kind. A deleted object's state metrics go at once (no more alerts). */
  onPrimary = (event: string, obj: KubeObject): void => {
    if (event === 'delete')
      this.metrics.objects.forget(this.definition.for.kind, obj.metadata.namespace, obj.metadata.name);
    this.enqueue(keyOf(obj));
  };

  /** Informer handler for owned kinds. */
  onOwned = (_event: string, obj: KubeObject): void => {
    for (const key of ownerKeys(this.definition.for, obj)) this.enqueue(key);
  };

  enqueue(key: string): void {
    this.queue?.add(key);
  }

  get running(): boolean {
    return this.queue !== undefined;
  }

  /** Maps a watched object to keys with this controller's context (e.g. to look up who references it). */
  keysFor(watch: NonNullable<ControllerDefinition<T>['watches']>[number], obj: KubeObject): string[] {
    return watch.keys(obj, this.ctx);
  }

  /** Maps a NATS event hint to keys with this controller's context. */
  keysForEvent(
    hint: NonNullable<ControllerDefinition<T>['eventHints']>[number],
    event: OperatorEvent,
  ): string[] {
    return hint.keys(event, this.ctx);
  }

  inFlight(): Map<string, number> {
    return this.queue?.inFlight() ?? new Map<string, number>();
  }

  /** Starts workers (on becoming leader) and enqueues every cached object: level-triggered, nothing is missed. */
  start(): void {
    if (this.queue) return;
    const queue = new WorkQueue({ observer: this.metrics.queueObserver(this.definition.name) });
    this.queue = queue;
    for (const obj of this.ctx.primary.list()) queue.add(keyOf(obj));
    this.workers = Array.from({ length: this.concurrency }, () => this.work(queue));
    this.scheduleResync();
  }

  /** Stops handing out work; waits up to `deadlineMs` for in-flight reconciles. */
  async stop(deadlineMs = 30_000): Promise<void> {
    const queue = this.queue;
    if (!queue) return;
    this.queue = undefined;
    clearTimeout(this.resyncTimer);
    const drained = queue.shutDownWithDrain();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolveDeadline) => {
      timer = setTimeout(() => {
        this.ctx.logger.warn('shutdown deadline passed with reconciles still running', {
          inFlight: [...queue.inFlight().keys()],
        });
        resolveDeadline();
      }, deadlineMs);
    });
    await Promise.race([Promise.all([drained, ...this.workers]), deadline]);
    clearTimeout(timer);
  }

  private scheduleResync(): void {
    this.resyncTimer = setTimeout(
      () => {
        for (const obj of this.ctx.primary.list()) this.enqueue(keyOf(obj));
        if (this.queue) this.scheduleResync();
      },
      jitter(this.resyncMs, 0.1),
    );
    this.resyncTimer.unref();
  }

  private async work(queue: WorkQueue): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      await this.process(queue, key);
    }
  }

  private async process(queue: WorkQueue, key: string): Promise<void> {
    const controller = this.definition.name;
    // reconcileID ties together every log line of one reconcile (controller-runtime's trace field).
    const logger = this.ctx.logger.child({ key, reconcileID: randomUUID() });
    const end = this.metrics.reconcileTime.startTimer({ controller });
    this.metrics.activeWorkers.inc({ controller });
    this.reconciles += 1;
    try {
      const result = await this.definition.reconcile(parseKey(key), { ...this.ctx, logger });
      if (result?.requeueAfterMs && result.requeueAfterMs > 0) {
        queue.forget(key);
        queue.addAfter(key, result.requeueAfterMs);
        this.metrics.reconcileTotal.inc({ controller, result: 'requeue_after' });
      } else {
        queue.forget(key);
        this.metrics.reconcileTotal.inc({ controller, result: 'success' });
      }
    } catch (err) {
      this.metrics.reconcileTotal.inc({ controller, result: 'error' });
      this.metrics.reconcileErrors.inc({ controller });
      if (err instanceof TerminalError) {
        queue.forget(key);
        logger.error('reconcile failed; not retrying until the object changes', { error: err.message });
      } else {
        const delay = queue.addRateLimited(key);
        // Users see failures where they look: on the object (de-duplicated by the recorder).
        const { namespace, name } = parseKey(key);
        const obj = this.ctx.primary.get(namespace, name);
        if (obj) void this.ctx.events.record(obj, 'Warning', 'ReconcileError', (err as Error).message);
        logger.warn('reconcile failed; retrying', { error: (err as Error).message, retryInMs: delay });
      }
    } finally {
      end();
      this.metrics.activeWorkers.dec({ controller });
      // A reconcile that raced the delete event may have recorded the object's state again: drop it.
      const { namespace, name } = parseKey(key);
      const kind = this.definition.for.kind;
      if (this.metrics.objects.has(kind, namespace, name) && !this.ctx.primary.get(namespace, name))
        this.metrics.objects.forget(kind, namespace, name);
      queue.done(key);
    }
  }
}
