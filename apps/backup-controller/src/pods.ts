// Two trimmed pod caches: the modules' pods (a restore waits until none runs) and the runner pods of our Jobs
// (their termination message carries the runner's one-line JSON result). Only the fields read are kept.
import { LABELS } from '@eevee/crds';
import { RESOURCES } from '@eevee/runtime';
import type { KubeObject, ResourceType } from '@eevee/runtime';

/** On every pod of a backup or restore Job. */
export const RUNNER_LABEL = 'eevee.bot/backup-runner';

interface PodStatus {
  phase?: string;
  containerStatuses?: {
    state?: { terminated?: { exitCode?: number; message?: string; finishedAt?: string } };
  }[];
}

const trimmed = (name: string, keepTermination: boolean): ResourceType => ({
  ...RESOURCES.Pod,
  cacheTransform: {
    name,
    apply: (pod) => {
      const status = (pod as KubeObject & { status?: PodStatus }).status;
      const { name: podName, namespace, uid, resourceVersion, labels, creationTimestamp } = pod.metadata;
      return {
        apiVersion: pod.apiVersion,
        kind: pod.kind,
        metadata: { name: podName, namespace, uid, resourceVersion, labels, creationTimestamp },
        status: {
          phase: status?.phase,
          ...(keepTermination
            ? {
                containerStatuses: (status?.containerStatuses ?? []).map((c) => ({
                  state: { terminated: c.state?.terminated },
                })),
              }
            : {}),
        },
      };
    },
  },
});

export const MODULE_PODS = trimmed('module-phase', false);
export const MODULE_POD_SELECTOR = `${LABELS.app}=${LABELS.appValue}`;
export const RUNNER_PODS = trimmed('runner-result', true);
export const RUNNER_POD_SELECTOR = `${RUNNER_LABEL}=true`;

/** The termination message of the newest finished runner pod of a Job. */
export function terminationMessage(pods: KubeObject[], jobName: string): string | undefined {
  return pods
    .filter((p) => p.metadata.labels?.['batch.kubernetes.io/job-name'] === jobName)
    .sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)))
    .map(
      (p) =>
        (p as KubeObject & { status?: PodStatus }).status?.containerStatuses?.[0]?.state?.terminated?.message,
    )
    .find((m) => m !== undefined);
}
