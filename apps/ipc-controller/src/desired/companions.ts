// What goes with the NATS server: its configuration, the client Service, the headless Service and PDB of a
// cluster, and the JetStream claim of a single server. Builders return undefined when the spec does not ask for
// the object; the reconciler then removes it (except the claim: data is never deleted by the controller).
import { natsObjectNames } from '@eevee/crds';
import { controllerReference } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { CONFIG_FILE, NATS_PORTS, isClustered } from './nats-config.ts';
import type { ManagedSpec } from './nats-config.ts';
import { claimSpec, serverLabels, serverSelector } from './server.ts';

interface Inputs {
  owner: KubeObject;
  managed: ManagedSpec;
  fieldManager: string;
}

function meta(inputs: Inputs, name: string, owned = true): KubeObject['metadata'] {
  return {
    name,
    namespace: inputs.owner.metadata.namespace,
    labels: serverLabels(inputs),
    ...(owned ? { ownerReferences: [controllerReference(inputs.owner)] } : {}),
  };
}

const port = (name: string, number: number) => ({ name, port: number, targetPort: name, protocol: 'TCP' });

export function desiredConfigMap(inputs: Inputs, config: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(inputs, natsObjectNames(inputs.owner.metadata.name).config),
    data: { [CONFIG_FILE]: config },
  };
}

/** The Service modules connect to (client) and Prometheus scrapes (monitor, metrics). */
export function desiredService(inputs: Inputs): KubeObject {
  const ipc = inputs.owner.metadata.name;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(inputs, natsObjectNames(ipc).server),
    spec: {
      type: 'ClusterIP',
      selector: serverSelector(ipc),
      ports: [
        port('client', NATS_PORTS.client),
        port('monitor', NATS_PORTS.monitor),
        ...(inputs.managed.metrics ? [port('metrics', NATS_PORTS.metrics)] : []),
      ],
    },
  };
}

/** Stable DNS names for cluster members; published before readiness, since routes form before it. */
export function desiredHeadlessService(inputs: Inputs): KubeObject | undefined {
  if (!isClustered(inputs.managed)) return undefined;
  const ipc = inputs.owner.metadata.name;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(inputs, natsObjectNames(ipc).headless),
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: serverSelector(ipc),
      ports: [port('client', NATS_PORTS.client), port('cluster', NATS_PORTS.cluster)],
    },
  };
}

/** Voluntary disruptions (drains, upgrades) take one cluster member at a time. */
export function desiredPdb(inputs: Inputs): KubeObject | undefined {
  if (!isClustered(inputs.managed)) return undefined;
  const ipc = inputs.owner.metadata.name;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(inputs, natsObjectNames(ipc).pdb),
    spec: { maxUnavailable: 1, selector: { matchLabels: serverSelector(ipc) } },
  };
}

/** JetStream storage of a single server. Not owned: it outlives the IpcConfig, like a StatefulSet's claims. */
export function desiredJetStreamClaim(inputs: Inputs): KubeObject | undefined {
  const jetstream = inputs.managed.jetstream;
  if (!jetstream?.enabled || !jetstream.storage || isClustered(inputs.managed)) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(inputs, natsObjectNames(inputs.owner.metadata.name).jetstream, false),
    spec: claimSpec(jetstream.storage),
  };
}
