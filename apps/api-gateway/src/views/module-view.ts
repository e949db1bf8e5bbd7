// The /api/v1 view of a module: its spec's essentials, status phase and conditions, replicas from the live
// Deployment (the BotModule status lags it by a reconcile), the last restart asked for, and its pods.
import type { ModuleEntry } from '../kube/module-cache.ts';
import type { ModuleView } from '../schemas.ts';
import { imageTag } from './image.ts';
import { moduleFields, podReady, podRestarts } from './module-fields.ts';

export function moduleView(entry: ModuleEntry): ModuleView {
  const f = moduleFields(entry);
  const status = entry.parsed?.status;
  const deployment = entry.deployment;
  return {
    namespace: f.namespace,
    name: f.name,
    moduleName: f.moduleName,
    image: f.image ?? 'unknown',
    tag: f.image ? imageTag(f.image) : 'unknown',
    enabled: f.enabled,
    phase: status?.phase ?? null,
    replicas: {
      desired: f.enabled ? (deployment?.spec.replicas ?? f.size) : 0,
      current: deployment?.status.replicas ?? status?.replicas ?? 0,
      ready: deployment?.status.readyReplicas ?? status?.readyReplicas ?? 0,
      updated: deployment?.status.updatedReplicas ?? 0,
    },
    restartedAt: f.restartedAt,
    generation: entry.raw.metadata.generation ?? null,
    observedGeneration: status?.observedGeneration ?? null,
    conditions: (status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: c.lastTransitionTime,
    })),
    pods: [...entry.pods]
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map((pod) => ({
        name: pod.metadata.name,
        phase: pod.status.phase,
        ready: podReady(pod),
        restarts: podRestarts(pod),
        startedAt: pod.status.startTime,
      })),
  };
}
