// The module's other children: ConfigMap, PersistentVolumeClaim, metrics Service, HPA, PDB. Each builder
// returns undefined when the spec does not ask for the object, and the reconciler then removes it.
import { API_VERSION, LABELS, labelValue, moduleObjectNames } from '@eevee/crds';
import type { BotModule } from '@eevee/crds';
import { controllerReference, standardLabels } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { CONFIG_FILE, podSelector } from './deployment.ts';

export const BACKUP_SCHEDULE_LABEL = 'eevee.bot/backup-schedule';
export const METRICS_LABEL = 'eevee.bot/metrics';

interface ChildInputs {
  owner: KubeObject;
  module: BotModule;
  fieldManager: string;
}

function meta(
  inputs: ChildInputs,
  name: string,
  extraLabels: Record<string, string> = {},
  owned = true,
): KubeObject['metadata'] {
  const cr = inputs.owner.metadata.name;
  return {
    name,
    namespace: inputs.owner.metadata.namespace,
    labels: standardLabels({
      component: 'module',
      instance: labelValue(cr),
      managedBy: inputs.fieldManager,
      extra: { ...podSelector(cr), ...extraLabels },
    }),
    ...(owned ? { ownerReferences: [controllerReference(inputs.owner)] } : {}),
  };
}

export function desiredConfigMap(inputs: ChildInputs): KubeObject | undefined {
  const config = inputs.module.spec.moduleConfig;
  if (config === undefined) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(inputs, moduleObjectNames(inputs.owner.metadata.name).configMap),
    data: { [CONFIG_FILE]: config },
  };
}

/**
 * The volume claim. Owned by the BotModule (deleted with it) only with volumeReclaimPolicy: Delete; by
 * default it outlives the BotModule so that deleting a CR by mistake never deletes data.
 */
export function desiredPvc(inputs: ChildInputs): KubeObject | undefined {
  const claim = inputs.module.spec.persistentVolumeClaim;
  if (!claim) return undefined;
  const schedule = inputs.module.spec.backupSchedule?.name;
  // Upstream forced 1Gi when no size was given (its CRD pruned the size); keep that for specs without one.
  const requests = claim.resources?.requests ?? {};
  const resources = { ...claim.resources, requests: { storage: '1Gi', ...requests } };
  const owned = inputs.module.spec.volumeReclaimPolicy === 'Delete';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(
      inputs,
      moduleObjectNames(inputs.owner.metadata.name).pvc,
      schedule ? { [BACKUP_SCHEDULE_LABEL]: schedule } : {},
      owned,
    ),
    spec: { accessModes: ['ReadWriteOnce'], ...claim, resources },
  };
}

export function desiredService(inputs: ChildInputs): KubeObject | undefined {
  const spec = inputs.module.spec;
  if (!spec.metrics) return undefined;
  const cr = inputs.owner.metadata.name;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(inputs, moduleObjectNames(cr).service, { [METRICS_LABEL]: 'true' }),
    spec: {
      type: 'ClusterIP',
      selector: podSelector(cr),
      ports: [{ name: 'metrics', port: spec.metricsPort, targetPort: 'metrics', protocol: 'TCP' }],
    },
  };
}

/** An HPA scaling the BotModule itself through its scale subresource (so size stays the one source). */
export function desiredHpa(inputs: ChildInputs): KubeObject | undefined {
  const autoscaling = inputs.module.spec.autoscaling;
  if (!autoscaling || !inputs.module.spec.enabled) return undefined;
  const cr = inputs.owner.metadata.name;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(inputs, moduleObjectNames(cr).hpa),
    spec: {
      scaleTargetRef: { apiVersion: API_VERSION, kind: 'BotModule', name: cr },
      minReplicas: autoscaling.minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: autoscaling.targetCPUUtilizationPercentage },
          },
        },
      ],
    },
  };
}

/** With more than one replica, keep all but one available during voluntary disruptions (node drains). */
export function desiredPdb(inputs: ChildInputs, replicas: number): KubeObject | undefined {
  const max = inputs.module.spec.autoscaling?.maxReplicas ?? 0;
  if (replicas <= 1 && max <= 1) return undefined;
  const cr = inputs.owner.metadata.name;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(inputs, moduleObjectNames(cr).pdb),
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: { [LABELS.module]: podSelector(cr)[LABELS.module] } },
    },
  };
}
