// What the gateway's caches keep of Deployments and Pods: only the fields the views read (client-go's
// SetTransform), so thousands of pods cost little memory. The types describe the trimmed objects.
import { RESOURCES } from '@eevee/runtime';
import type { KubeObject, ResourceType } from '@eevee/runtime';

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  image: string;
  state: Record<string, unknown> | null;
  lastState: Record<string, unknown> | null;
}

export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime: string;
}

export type CachedPod = KubeObject & {
  status: {
    phase: string;
    startTime: string | null;
    conditions: PodCondition[];
    containerStatuses: ContainerStatus[];
  };
};

export type CachedDeployment = KubeObject & {
  spec: { replicas: number | null };
  status: { replicas: number; readyReplicas: number; updatedReplicas: number; availableReplicas: number };
};

interface RawPodStatus {
  phase?: string;
  startTime?: string;
  conditions?: { type?: string; status?: string; lastTransitionTime?: string }[];
  containerStatuses?: {
    name?: string;
    ready?: boolean;
    restartCount?: number;
    image?: string;
    state?: Record<string, unknown>;
    lastState?: Record<string, unknown>;
  }[];
}

interface RawDeployment {
  spec?: { replicas?: number };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
}

const isEmpty = (o: Record<string, unknown> | undefined): boolean => !o || Object.keys(o).length === 0;

function metadataOf(obj: KubeObject): KubeObject['metadata'] {
  const { name, namespace, uid, resourceVersion, labels, creationTimestamp, generation } = obj.metadata;
  return { name, namespace, uid, resourceVersion, labels, creationTimestamp, generation };
}

export function trimPod(pod: KubeObject): CachedPod {
  const status = (pod as KubeObject & { status?: RawPodStatus }).status ?? {};
  return {
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata: metadataOf(pod),
    status: {
      phase: status.phase ?? 'Pending',
      startTime: status.startTime ?? null,
      conditions: (status.conditions ?? []).map((c) => ({
        type: c.type ?? '',
        status: c.status ?? 'Unknown',
        lastTransitionTime: c.lastTransitionTime ?? '',
      })),
      containerStatuses: (status.containerStatuses ?? []).map((c) => ({
        name: c.name ?? '',
        ready: c.ready === true,
        restartCount: c.restartCount ?? 0,
        image: c.image ?? '',
        state: isEmpty(c.state) ? null : (c.state ?? null),
        lastState: isEmpty(c.lastState) ? null : (c.lastState ?? null),
      })),
    },
  };
}

export function trimDeployment(deployment: KubeObject): CachedDeployment {
  const raw = deployment as KubeObject & RawDeployment;
  return {
    apiVersion: deployment.apiVersion,
    kind: deployment.kind,
    metadata: metadataOf(deployment),
    spec: { replicas: raw.spec?.replicas ?? null },
    status: {
      replicas: raw.status?.replicas ?? 0,
      readyReplicas: raw.status?.readyReplicas ?? 0,
      updatedReplicas: raw.status?.updatedReplicas ?? 0,
      availableReplicas: raw.status?.availableReplicas ?? 0,
    },
  };
}

/** Module pods only (the module-controller labels them), trimmed. */
export const GATEWAY_PODS: ResourceType = {
  ...RESOURCES.Pod,
  cacheTransform: { name: 'gateway', apply: trimPod },
};

export const GATEWAY_DEPLOYMENTS: ResourceType = {
  ...RESOURCES.Deployment,
  cacheTransform: { name: 'gateway', apply: trimDeployment },
};
