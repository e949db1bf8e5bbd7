// The few BotModule fields every view reads, from the parsed object (defaults applied) or, for an object the
// schema rejects, leniently from the raw one: a broken module is still listed rather than hidden.
import { ANNOTATIONS } from '@eevee/crds';
import type { ModuleEntry } from '../kube/module-cache.ts';
import type { CachedPod } from '../kube/cached-types.ts';

export interface ModuleFields {
  namespace: string;
  name: string;
  moduleName: string;
  image: string | undefined;
  enabled: boolean;
  size: number;
  restartedAt: string | null;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function moduleFields(entry: ModuleEntry): ModuleFields {
  const { metadata } = entry.raw;
  const spec = entry.parsed?.spec;
  const rawSpec = (entry.raw.spec ?? {}) as Record<string, unknown>;
  return {
    namespace: metadata.namespace ?? '',
    name: metadata.name,
    moduleName: spec?.moduleName ?? text(rawSpec.moduleName) ?? metadata.name,
    image: spec?.image ?? text(rawSpec.image),
    enabled: spec ? spec.enabled : rawSpec.enabled !== false,
    size: spec ? spec.size : typeof rawSpec.size === 'number' ? rawSpec.size : 1,
    restartedAt: metadata.annotations?.[ANNOTATIONS.restartedAt] ?? null,
  };
}

/** Ready as the kubelet reports it: the Ready condition, else every container ready. */
export function podReady(pod: CachedPod): boolean {
  const condition = pod.status.conditions.find((c) => c.type === 'Ready');
  if (condition) return condition.status === 'True';
  const containers = pod.status.containerStatuses;
  return containers.length > 0 && containers.every((c) => c.ready);
}

export const podRestarts = (pod: CachedPod): number =>
  pod.status.containerStatuses.reduce((sum, c) => sum + c.restartCount, 0);
