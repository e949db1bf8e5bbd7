// GET /api/bot-modules items in upstream's shape (what the admin module renders). podStatus describes the
// newest pod, as upstream ended up choosing, now from the pod cache instead of three API calls per module.
import type { ModuleEntry } from '../kube/module-cache.ts';
import type { CachedPod } from '../kube/cached-types.ts';
import type { UpstreamBotModule, UpstreamPodStatus } from '../schemas.ts';
import { imageTag } from './image.ts';
import { moduleFields, podReady, podRestarts } from './module-fields.ts';

const newestFirst = (a: CachedPod, b: CachedPod): number =>
  (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') ||
  a.metadata.name.localeCompare(b.metadata.name);

export function upstreamPodStatus(pods: readonly CachedPod[]): UpstreamPodStatus | null {
  const pod = [...pods].sort(newestFirst)[0];
  if (!pod) return null;
  return {
    phase: pod.status.phase,
    ready: podReady(pod),
    restartCount: podRestarts(pod),
    containerStatuses: pod.status.containerStatuses.map((c) => ({ ...c })),
    conditions: pod.status.conditions.map((c) => ({ ...c })),
    startedAt: pod.status.startTime,
  };
}

export function upstreamBotModule(entry: ModuleEntry): UpstreamBotModule {
  const f = moduleFields(entry);
  return {
    name: f.moduleName,
    crName: f.name,
    namespace: f.namespace,
    image: f.image ?? 'unknown',
    tag: f.image ? imageTag(f.image) : 'unknown',
    enabled: f.enabled,
    podStatus: upstreamPodStatus(entry.pods),
  };
}
