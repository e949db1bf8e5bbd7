// The module pods the controller watches for the status summary. Thousands of full Pod objects would dominate
// the controller's memory, so the cache keeps only what the summary reads (name, labels, phase, readiness,
// restarts).
import { LABELS, labelValue } from '@eevee/crds';
import type { BotModule } from '@eevee/crds';
import { RESOURCES } from '@eevee/runtime';
import type { ControllerContext, KubeObject, ResourceType } from '@eevee/runtime';

interface PodStatus {
  phase?: string;
  containerStatuses?: { ready?: boolean; restartCount?: number }[];
}

export type PodSummary = { name: string; phase: string; ready: boolean; restarts: number };

/** Pods as the module-controller caches them: metadata and the parts of status the summary needs. */
export const MODULE_PODS: ResourceType = {
  ...RESOURCES.Pod,
  cacheTransform: {
    name: 'summary',
    apply: (pod) => {
      const status = (pod as KubeObject & { status?: PodStatus }).status;
      const { name, namespace, uid, resourceVersion, labels } = pod.metadata;
      return {
        apiVersion: pod.apiVersion,
        kind: pod.kind,
        metadata: { name, namespace, uid, resourceVersion, labels },
        status: {
          phase: status?.phase,
          containerStatuses: (status?.containerStatuses ?? []).map((c) => ({
            ready: c.ready,
            restartCount: c.restartCount,
          })),
        },
      };
    },
  },
};

export const MODULE_POD_SELECTOR = `${LABELS.app}=${LABELS.appValue}`;

/** The module's pods, by name, as the BotModule status lists them. */
export function podsOf(ctx: ControllerContext<BotModule>, module: BotModule): PodSummary[] {
  const label = labelValue(module.metadata.name ?? '');
  return ctx
    .cache(MODULE_PODS, MODULE_POD_SELECTOR)
    .list(module.metadata.namespace)
    .filter((p) => p.metadata.labels?.[LABELS.module] === label)
    .map((p) => {
      const containers = (p as KubeObject & { status?: PodStatus }).status?.containerStatuses ?? [];
      return {
        name: p.metadata.name,
        phase: (p as KubeObject & { status?: PodStatus }).status?.phase ?? 'Pending',
        ready: containers.length > 0 && containers.every((c) => c.ready === true),
        restarts: containers.reduce((sum, c) => sum + (c.restartCount ?? 0), 0),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
