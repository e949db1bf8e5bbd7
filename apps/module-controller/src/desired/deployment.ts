// The Deployment of a module: the pod contract existing eevee module images expect (upstream.md §10.2),
// probes, strategy, and the annotations whose change rolls the pods (config hash, restart request).
import type { V1Container, V1EnvVar, V1Probe, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { ANNOTATIONS, EFFECTIVE_DEFAULTS, LABELS, labelValue, moduleObjectNames } from '@eevee/crds';
import type { BotModule } from '@eevee/crds';
import { controllerReference, standardLabels } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import type { ModuleSettings } from '../settings.ts';

export const CONFIG_MOUNT_DIR = '/etc/module-config';
export const CONFIG_FILE = 'config.yaml';

/** Where the module's NATS credentials are, as the IpcConfig status publishes them. */
export interface NatsSecretRef {
  name: string;
  tokenKey: string;
}

export interface DeploymentInputs {
  owner: KubeObject;
  module: BotModule;
  /** Access modes of the existing PersistentVolumeClaim, when there is one. */
  volumeAccessModes?: string[] | undefined;
  replicas: number;
  nats: NatsSecretRef | undefined;
  configHash: string;
  settings: ModuleSettings;
  fieldManager: string;
}

/** The selector and pod labels (upstream: app=eevee.bot, eevee.bot/module=<cr>; selector on the latter). */
export function podSelector(cr: string): Record<string, string> {
  return { [LABELS.module]: labelValue(cr) };
}

/** Probes as upstream.md §2.1 gives them, on /health of metricsPort; none when metrics are off. */
export function defaultProbes(module: BotModule): { livenessProbe?: V1Probe; readinessProbe?: V1Probe } {
  const spec = module.spec;
  if (!spec.metrics) return {};
  const httpGet = { path: '/health', port: spec.metricsPort };
  return {
    livenessProbe: {
      httpGet,
      initialDelaySeconds: 10,
      periodSeconds: 30,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
    readinessProbe: {
      httpGet,
      initialDelaySeconds: 5,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    },
  };
}

/**
 * RWO/RWOP volumes cannot be mounted by two pods: such modules roll with Recreate. The live claim's modes win
 * over the spec's (a refused change of access modes must not change the strategy).
 */
export function usesSingleWriterVolume(module: BotModule, liveAccessModes?: string[]): boolean {
  const modes = liveAccessModes ?? module.spec.persistentVolumeClaim?.accessModes ?? [];
  return (
    module.spec.persistentVolumeClaim !== undefined &&
    (modes.length === 0 || modes.some((m) => m === 'ReadWriteOnce' || m === 'ReadWriteOncePod'))
  );
}

function environment(inputs: DeploymentInputs): V1EnvVar[] {
  const { module, nats, settings } = inputs;
  const spec = module.spec;
  const env: V1EnvVar[] = [
    { name: 'NAMESPACE', value: module.metadata.namespace ?? '' },
    { name: 'RESOURCE_NAME', value: module.metadata.name ?? '' },
  ];
  if (spec.mountOperatorApiToken) {
    env.push(
      {
        name: 'EEVEE_OPERATOR_API_TOKEN',
        valueFrom: {
          secretKeyRef: {
            name: settings.EEVEE_OPERATOR_API_TOKEN_SECRET,
            key: settings.EEVEE_OPERATOR_API_TOKEN_SECRET_KEY,
          },
        },
      },
      { name: 'EEVEE_OPERATOR_API_URL', value: settings.EEVEE_OPERATOR_API_URL },
    );
  }
  if (nats) {
    env.push(
      { name: 'NATS_HOST', valueFrom: { secretKeyRef: { name: nats.name, key: 'host' } } },
      { name: 'NATS_TOKEN', valueFrom: { secretKeyRef: { name: nats.name, key: nats.tokenKey } } },
    );
  }
  if (spec.metrics) {
    env.push(
      { name: 'METRICS_ENABLED', value: 'true' },
      { name: 'METRICS_PORT', value: String(spec.metricsPort) },
      { name: 'HTTP_API_PORT', value: String(spec.metricsPort) },
    );
  }
  if (spec.persistentVolumeClaim) env.push({ name: 'MODULE_DATA', value: spec.volumeMountPath });
  if (spec.moduleConfig !== undefined)
    env.push({ name: 'MODULE_CONFIG_PATH', value: `${CONFIG_MOUNT_DIR}/${CONFIG_FILE}` });
  return env;
}

function volumes(module: BotModule, cr: string): { volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  const names = moduleObjectNames(cr);
  const volumes: V1Volume[] = [];
  const mounts: V1VolumeMount[] = [];
  if (module.spec.persistentVolumeClaim) {
    volumes.push({ name: 'module-data', persistentVolumeClaim: { claimName: names.pvc } });
    mounts.push({ name: 'module-data', mountPath: module.spec.volumeMountPath });
  }
  if (module.spec.moduleConfig !== undefined) {
    // The whole directory, not subPath: the kubelet then refreshes the file in place (InPlace updates).
    volumes.push({ name: 'module-config', configMap: { name: names.configMap } });
    mounts.push({ name: 'module-config', mountPath: CONFIG_MOUNT_DIR, readOnly: true });
  }
  return { volumes, mounts };
}

export function desiredDeployment(inputs: DeploymentInputs): KubeObject {
  const { module, owner } = inputs;
  const cr = owner.metadata.name;
  const spec = module.spec;
  const labels = standardLabels({
    component: 'module',
    instance: labelValue(cr),
    managedBy: inputs.fieldManager,
    extra: podSelector(cr),
  });
  const { volumes: vols, mounts } = volumes(module, cr);
  const probes = defaultProbes(module);
  const container: V1Container = {
    name: 'module',
    image: spec.image,
    imagePullPolicy: spec.imagePullPolicy ?? spec.pullPolicy ?? EFFECTIVE_DEFAULTS.imagePullPolicy,
    env: environment(inputs),
    ...(spec.envSecret ? { envFrom: [{ secretRef: { name: spec.envSecret.name } }] } : {}),
    ...(spec.metrics
      ? { ports: [{ name: 'metrics', containerPort: spec.metricsPort, protocol: 'TCP' }] }
      : {}),
    ...((spec.livenessProbe ?? probes.livenessProbe)
      ? { livenessProbe: spec.livenessProbe ?? probes.livenessProbe }
      : {}),
    ...((spec.readinessProbe ?? probes.readinessProbe)
      ? { readinessProbe: spec.readinessProbe ?? probes.readinessProbe }
      : {}),
    ...(spec.startupProbe ? { startupProbe: spec.startupProbe } : {}),
    ...(spec.resources ? { resources: spec.resources } : {}),
    ...(mounts.length ? { volumeMounts: mounts } : {}),
  };
  const restartedAt = owner.metadata.annotations?.[ANNOTATIONS.restartedAt];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: moduleObjectNames(cr).deployment,
      namespace: owner.metadata.namespace,
      labels,
      ownerReferences: [controllerReference(owner)],
    },
    spec: {
      replicas: inputs.replicas,
      revisionHistoryLimit: 3,
      selector: { matchLabels: podSelector(cr) },
      strategy: usesSingleWriterVolume(module, inputs.volumeAccessModes)
        ? { type: 'Recreate' }
        : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: {
          labels,
          annotations: {
            [ANNOTATIONS.configHash]: inputs.configHash,
            ...(restartedAt ? { [ANNOTATIONS.restartedAt]: restartedAt } : {}),
          },
        },
        spec: { containers: [container], ...(vols.length ? { volumes: vols } : {}) },
      },
    },
  };
}
