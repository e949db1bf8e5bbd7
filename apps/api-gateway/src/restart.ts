// A restart asks the module-controller for a rolling restart by setting `eevee.bot/restartedAt` on the
// BotModule (merge patch, field manager eevee-api-gateway): the controller copies it to the pod template and the
// Deployment rolls. The gateway never writes Deployments (architecture.md: it owns only this annotation).
// Each restart is counted, recorded as a Kubernetes Event on the module, and announced on NATS.
import { ANNOTATIONS, moduleObjectNames } from '@eevee/crds';
import { RESOURCES, isNotFound } from '@eevee/runtime';
import type { EventBus, EventRecorder, KubeClient, KubeObject, Logger } from '@eevee/runtime';
import type { OperatorEvent } from '@eevee/crds';
import type { RecentEvents } from './events/recent-events.ts';
import type { GatewayMetrics } from './http/metrics.ts';
import type { ModuleReader } from './kube/module-cache.ts';
import type { NamespaceScope } from './kube/scope.ts';
import { objectNamePattern } from './schemas.ts';
import type { RestartAccepted } from './schemas.ts';

export const FIELD_MANAGER = 'eevee-api-gateway';

/** The module is not one the gateway may restart: missing, or in a namespace it does not serve. */
export class ModuleNotFound extends Error {}

/** The Kubernetes API refused or failed the patch. */
export class RestartFailed extends Error {}

/** The one call a restart makes (a KubeClient; the routing unit test records the patch instead). */
export type AnnotationPatcher = Pick<KubeClient, 'mergePatch'>;

export interface RestarterOptions {
  client: AnnotationPatcher;
  cache: ModuleReader;
  scope: NamespaceScope;
  metrics: GatewayMetrics;
  events: RecentEvents;
  recorder?: EventRecorder;
  bus?: () => EventBus | undefined;
  logger: Logger;
  now?: () => Date;
}

export class Restarter {
  private readonly o: RestarterOptions;

  constructor(options: RestarterOptions) {
    this.o = options;
  }

  async restart(namespace: string, name: string, client: string): Promise<RestartAccepted> {
    const entry =
      this.o.scope.serves(namespace) && objectNamePattern.test(name) && name.length <= 253
        ? this.o.cache.get(namespace, name)
        : undefined;
    if (!entry) throw new ModuleNotFound(`BotModule ${name} not found in namespace ${namespace}`);
    const previous = entry.raw.metadata.annotations?.[ANNOTATIONS.restartedAt] ?? null;
    let restartedAt = (this.o.now?.() ?? new Date()).toISOString();
    // Two restarts within one millisecond must still differ, or the second would roll nothing.
    if (restartedAt === previous) restartedAt = new Date(Date.parse(restartedAt) + 1).toISOString();
    let patched: KubeObject;
    try {
      patched = await this.o.client.mergePatch(
        RESOURCES.BotModule,
        namespace,
        name,
        { metadata: { annotations: { [ANNOTATIONS.restartedAt]: restartedAt } } },
        FIELD_MANAGER,
      );
    } catch (err) {
      // Deleted since the cache saw it: the same 404 as a module the cache lacks, not a failed restart.
      if (isNotFound(err)) throw new ModuleNotFound(`BotModule ${name} not found in namespace ${namespace}`);
      this.o.metrics.restarts.inc({ module_name: name, namespace, success: 'false' });
      this.o.logger.error('restart failed', { namespace, name, error: (err as Error).message });
      throw new RestartFailed((err as Error).message, { cause: err });
    }
    this.o.metrics.restarts.inc({ module_name: name, namespace, success: 'true' });
    this.o.logger.info('restart requested', { namespace, name, restartedAt, client });
    const event: OperatorEvent = {
      kind: 'botmodule',
      namespace,
      name,
      event: 'restart.requested',
      generation: patched.metadata.generation ?? 0,
      observedAt: restartedAt,
      reason: 'RestartRequested',
      message: 'restart requested through the API',
    };
    this.o.events.add(event);
    const eventPublished = this.publish(event);
    // Never throws; not awaited so the answer does not wait for the audit record.
    void this.o.recorder?.record(
      patched,
      'Normal',
      'RestartRequested',
      `Restart requested through the API: ${ANNOTATIONS.restartedAt}=${restartedAt}`,
      'Restart',
    );
    return {
      namespace,
      name,
      annotation: ANNOTATIONS.restartedAt,
      restartedAt,
      previousRestartedAt: previous,
      eventPublished,
      message: `restart requested: the module-controller rolls Deployment ${moduleObjectNames(name).deployment}`,
    };
  }

  private publish(event: OperatorEvent): boolean {
    const bus = this.o.bus?.();
    if (!bus) return false;
    const before = bus.published;
    bus.publish(event);
    return bus.published > before;
  }
}
