// The NATS server workload: a Deployment for one server, a StatefulSet (stable names for routes, a volume per
// member) for a cluster. The pod template carries a hash of the configuration and of the token Secret's
// resourceVersion, so a config change or a token rotation rolls the servers and nothing else does.
import { ANNOTATIONS, EFFECTIVE_DEFAULTS, LABELS, labelValue, natsObjectNames } from '@eevee/crds';
import type {
  V1Container,
  V1EnvVar,
  V1PodSpec,
  V1Probe,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import {
  RESTRICTED_CONTAINER_SECURITY,
  RESTRICTED_POD_SECURITY,
  controllerReference,
  standardLabels,
} from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import {
  CONFIG_DIR,
  CONFIG_FILE,
  JETSTREAM_DIR,
  NATS_PORTS,
  ROUTES_ENV,
  ROUTE_USER,
  SERVER_NAME_ENV,
  TOKEN_ENV,
  TOKEN_SECRET_ENV,
  isClustered,
} from './nats-config.ts';
import type { ManagedSpec } from './nats-config.ts';

export interface ServerInputs {
  owner: KubeObject;
  managed: ManagedSpec;
  token: { name: string; key: string };
  /** Every cluster member's route address, host:port (clustered only; see clusterMembers). */
  routes: string[];
  configHash: string;
  fieldManager: string;
}

type ClaimSpec = NonNullable<NonNullable<ManagedSpec['jetstream']>['storage']>;

/** A JetStream claim as asked for, with 1Gi when no size is given (a claim without one is refused). */
export function claimSpec(storage: ClaimSpec): ClaimSpec {
  return {
    ...storage,
    resources: { ...storage.resources, requests: { storage: '1Gi', ...storage.resources?.requests } },
  };
}

/** The upstream selector of the server pods (kept: Services and users select on it). */
export function serverSelector(ipc: string): Record<string, string> {
  return { [LABELS.natsServer]: 'true', [LABELS.ipcConfig]: labelValue(ipc) };
}

export function serverLabels(inputs: { owner: KubeObject; fieldManager: string }): Record<string, string> {
  const ipc = inputs.owner.metadata.name;
  return standardLabels({
    component: 'nats',
    instance: labelValue(ipc),
    managedBy: inputs.fieldManager,
    extra: serverSelector(ipc),
  });
}

/**
 * nats-server parses an environment variable it expands as a config value: a token such as `123456`, `true`,
 * `12kb` or one with spaces, `#` or `:` would become a number, a boolean or a syntax error. The kubelet's `$(VAR)`
 * expansion wraps the Secret's token in single quotes, which NATS reads as a raw string (only a `'` in the token
 * cannot be carried; the controller reports such a Secret as invalid).
 */
export function tokenEnvironment(token: { name: string; key: string }): V1EnvVar[] {
  return [
    { name: TOKEN_SECRET_ENV, valueFrom: { secretKeyRef: { name: token.name, key: token.key } } },
    { name: TOKEN_ENV, value: `'$(${TOKEN_SECRET_ENV})'` },
  ];
}

/**
 * The cluster's route URLs, authenticated as ROUTE_USER with the token: the kubelet puts the token into them from
 * the Secret (`$(NATS_TOKEN_SECRET)`), so neither the ConfigMap nor the pod spec holds it. The value is a NATS
 * array the config reads whole (`routes: $NATS_ROUTES`); single quotes keep each URL a raw string. The token must
 * be valid in a URL's userinfo (generated tokens are; token.ts refuses others for a cluster).
 */
export function routesEnvironment(members: string[]): V1EnvVar {
  const urls = members.map((m) => `'nats://${ROUTE_USER}:$(${TOKEN_SECRET_ENV})@${m}'`);
  return { name: ROUTES_ENV, value: `[${urls.join(', ')}]` };
}

const health = (query: string, period: number, failures: number): V1Probe => ({
  httpGet: { path: `/healthz${query}`, port: 'monitor' },
  periodSeconds: period,
  timeoutSeconds: 3,
  failureThreshold: failures,
});

/** Pod-level volumes and the server's mounts: the config directory and, with JetStream, its store. */
function storage(inputs: ServerInputs): { volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  const names = natsObjectNames(inputs.owner.metadata.name);
  const volumes: V1Volume[] = [{ name: 'config', configMap: { name: names.config } }];
  const mounts: V1VolumeMount[] = [{ name: 'config', mountPath: CONFIG_DIR, readOnly: true }];
  const jetstream = inputs.managed.jetstream;
  if (jetstream?.enabled) {
    mounts.push({ name: 'jetstream', mountPath: JETSTREAM_DIR });
    // A cluster gets a claim per member from volumeClaimTemplates; one server uses its own claim; without
    // storage the store is a memory-backed emptyDir (data lives as long as the pod).
    if (!jetstream.storage) volumes.push({ name: 'jetstream', emptyDir: { medium: 'Memory' } });
    else if (!isClustered(inputs.managed))
      volumes.push({ name: 'jetstream', persistentVolumeClaim: { claimName: names.jetstream } });
  }
  return { volumes, mounts };
}

function podSpec(inputs: ServerInputs): V1PodSpec {
  const { managed } = inputs;
  const clustered = isClustered(managed);
  const { volumes, mounts } = storage(inputs);
  const server: V1Container = {
    name: 'nats-server',
    image: managed.image ?? EFFECTIVE_DEFAULTS.natsImage,
    imagePullPolicy: managed.imagePullPolicy ?? EFFECTIVE_DEFAULTS.imagePullPolicy,
    command: ['nats-server'],
    args: ['--config', `${CONFIG_DIR}/${CONFIG_FILE}`],
    ports: [
      { name: 'client', containerPort: NATS_PORTS.client, protocol: 'TCP' },
      { name: 'monitor', containerPort: NATS_PORTS.monitor, protocol: 'TCP' },
      ...(clustered ? [{ name: 'cluster', containerPort: NATS_PORTS.cluster, protocol: 'TCP' }] : []),
    ],
    env: [
      ...tokenEnvironment(inputs.token),
      ...(clustered
        ? [
            { name: SERVER_NAME_ENV, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            routesEnvironment(inputs.routes),
          ]
        : []),
    ],
    // The NATS chart's probes: started once it answers, live while the server runs, ready when JetStream (if
    // any) is current too.
    startupProbe: health('', 2, 30),
    livenessProbe: health('?js-enabled-only=true', 30, 3),
    readinessProbe: health('?js-server-only=true', 10, 3),
    ...(managed.resources ? { resources: managed.resources } : {}),
    volumeMounts: mounts,
    securityContext: RESTRICTED_CONTAINER_SECURITY,
  };
  const containers = [server];
  if (managed.metrics) {
    containers.push({
      name: 'metrics',
      image: EFFECTIVE_DEFAULTS.natsExporterImage,
      imagePullPolicy: EFFECTIVE_DEFAULTS.imagePullPolicy,
      args: [
        '-port',
        String(NATS_PORTS.metrics),
        '-connz',
        '-routez',
        '-subz',
        '-varz',
        '-healthz',
        ...(managed.jetstream?.enabled ? ['-jsz=all'] : []),
        `http://localhost:${NATS_PORTS.monitor}`,
      ],
      ports: [{ name: 'metrics', containerPort: NATS_PORTS.metrics, protocol: 'TCP' }],
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
      securityContext: RESTRICTED_CONTAINER_SECURITY,
    });
  }
  return {
    containers,
    volumes,
    securityContext: RESTRICTED_POD_SECURITY,
    // Let the server enter lame-duck mode and hand its clients over before it is killed.
    terminationGracePeriodSeconds: 60,
    ...(clustered
      ? {
          // Members on different nodes where possible, so losing a node loses one member.
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: 'kubernetes.io/hostname',
                    labelSelector: { matchLabels: serverSelector(inputs.owner.metadata.name) },
                  },
                },
              ],
            },
          },
        }
      : {}),
  };
}

function template(inputs: ServerInputs) {
  return {
    metadata: {
      labels: serverLabels(inputs),
      annotations: { [ANNOTATIONS.configHash]: inputs.configHash },
    },
    spec: podSpec(inputs),
  };
}

function metadata(inputs: ServerInputs): KubeObject['metadata'] {
  return {
    name: natsObjectNames(inputs.owner.metadata.name).server,
    namespace: inputs.owner.metadata.namespace,
    labels: serverLabels(inputs),
    ownerReferences: [controllerReference(inputs.owner)],
  };
}

/** One server. Rolls without a gap (maxUnavailable 0), except with a JetStream volume only one pod can mount. */
export function desiredDeployment(inputs: ServerInputs): KubeObject {
  const singleWriterVolume = inputs.managed.jetstream?.enabled === true && !!inputs.managed.jetstream.storage;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(inputs),
    spec: {
      replicas: 1,
      revisionHistoryLimit: 3,
      selector: { matchLabels: serverSelector(inputs.owner.metadata.name) },
      strategy: singleWriterVolume
        ? { type: 'Recreate' }
        : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: template(inputs),
    },
  };
}

/** A NATS cluster: members start together (Parallel) so their routes can form; one claim per member. */
export function desiredStatefulSet(inputs: ServerInputs): KubeObject {
  const names = natsObjectNames(inputs.owner.metadata.name);
  const storage = inputs.managed.jetstream?.enabled ? inputs.managed.jetstream.storage : undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: metadata(inputs),
    spec: {
      replicas: inputs.managed.replicas,
      serviceName: names.headless,
      podManagementPolicy: 'Parallel',
      revisionHistoryLimit: 3,
      selector: { matchLabels: serverSelector(inputs.owner.metadata.name) },
      updateStrategy: { type: 'RollingUpdate' },
      template: template(inputs),
      ...(storage
        ? {
            volumeClaimTemplates: [
              { metadata: { name: 'jetstream', labels: serverLabels(inputs) }, spec: claimSpec(storage) },
            ],
          }
        : {}),
    },
  };
}
