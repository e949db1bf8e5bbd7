// ResourceTypes of everything the controllers read or write.
import { API_VERSION, KINDS } from '@eevee/crds';
import type { KindName } from '@eevee/crds';
import type { ResourceType } from './kube-client.ts';

const ours = (kind: KindName): ResourceType => ({
  apiVersion: API_VERSION,
  kind: KINDS[kind].kind,
  plural: KINDS[kind].plural,
  namespaced: true,
});
const core = (kind: string, plural: string): ResourceType => ({
  apiVersion: 'v1',
  kind,
  plural,
  namespaced: true,
});

export const RESOURCES = {
  BotModule: ours('BotModule'),
  IpcConfig: ours('IpcConfig'),
  S3Store: ours('S3Store'),
  BackupSchedule: ours('BackupSchedule'),
  BackupRestore: ours('BackupRestore'),
  ConfigMap: core('ConfigMap', 'configmaps'),
  Secret: core('Secret', 'secrets'),
  /** Secrets without their data: enough to notice a change (resourceVersion), nothing to leak. */
  SecretMetadata: { ...core('Secret', 'secrets'), metadataOnly: true },
  Service: core('Service', 'services'),
  Pod: core('Pod', 'pods'),
  PersistentVolumeClaim: core('PersistentVolumeClaim', 'persistentvolumeclaims'),
  ServiceAccount: core('ServiceAccount', 'serviceaccounts'),
  Deployment: { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  StatefulSet: { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true },
  ReplicaSet: { apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true },
  Job: { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs', namespaced: true },
  CronJob: { apiVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true },
  HorizontalPodAutoscaler: {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
  },
  PodDisruptionBudget: {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    namespaced: true,
  },
  Event: { apiVersion: 'events.k8s.io/v1', kind: 'Event', plural: 'events', namespaced: true },
  Role: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', plural: 'roles', namespaced: true },
  RoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
  },
  ClusterRole: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    plural: 'clusterroles',
    namespaced: false,
  },
  ClusterRoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    namespaced: false,
  },
  Lease: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', plural: 'leases', namespaced: true },
} as const satisfies Record<string, ResourceType>;
