// Runs the real module-controller (in process, on the runtime) against the test cluster, in one namespace.
import { RESOURCES } from '@eevee/runtime';
import type { KubeClient, KubeObject } from '@eevee/runtime';
import { startControllerHarness } from '@eevee/runtime/testing';
import type { ControllerHarness } from '@eevee/runtime/testing';
import { eventually } from '@eevee/testenv';
import { botModuleController } from '../src/controller.ts';
import { parseModuleSettings } from '../src/settings.ts';

export type Harness = ControllerHarness;

/**
 * Starts the controller in a fresh namespace. With `asServiceAccount`, it runs as the ServiceAccount of
 * its declared permissions (the chart ships the same) (and with leader election, which needs its Lease).
 */
export function startModuleController(
  prefix: string,
  env: Record<string, string> = {},
  options: { asServiceAccount?: boolean } = {},
): Promise<Harness> {
  return startControllerHarness({
    name: 'module-controller',
    controllers: [botModuleController(parseModuleSettings({}))],
    prefix,
    env,
    ...(options.asServiceAccount
      ? {
          asServiceAccount: {
            name: 'eevee-module-controller',
          },
        }
      : {}),
  });
}

type Status = {
  phase?: string;
  conditions?: { type: string; status: string; reason: string }[];
  replicas?: number;
  readyReplicas?: number;
  [k: string]: unknown;
};
export type BotModuleObject = KubeObject & { spec: Record<string, unknown>; status?: Status };

export function botModule(
  h: Harness,
  name: string,
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'eevee.bot/v1',
    kind: 'BotModule',
    metadata: { name, namespace: h.ns.name, ...(annotations ? { annotations } : {}) },
    spec,
  };
}

export function getModule(h: Harness, name: string): Promise<BotModuleObject> {
  return h.admin.get<BotModuleObject>(RESOURCES.BotModule, h.ns.name, name);
}

export function waitForPhase(
  h: Harness,
  name: string,
  phase: string,
  timeoutMs = 60_000,
): Promise<BotModuleObject> {
  return eventually(
    `BotModule ${name} to reach phase ${phase}`,
    () => getModule(h, name),
    (m) => m.status?.phase === phase && m.status.observedGeneration === m.metadata.generation,
    timeoutMs,
  );
}

/** What the ipc-controller publishes (it is another controller; its contract is the IpcConfig status). */
export function publishIpcConfig(h: Harness, name: string, secret: string, ready = true): Promise<void> {
  return publishIpcStatus(h.admin, h.ns.name, name, secret, ready);
}

/** The IpcConfig, its token Secret, and the status the ipc-controller would write, in `namespace`. */
export async function publishIpcStatus(
  client: KubeClient,
  namespace: string,
  name: string,
  secret: string,
  ready = true,
): Promise<void> {
  const meta = { name, namespace };
  await client.apply(
    RESOURCES.Secret,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secret, namespace },
      stringData: { token: 'test-token', host: 'nats://nats.example:4222' },
    },
    'test',
  );
  await client.apply(
    RESOURCES.IpcConfig,
    { apiVersion: 'eevee.bot/v1', kind: 'IpcConfig', metadata: meta, spec: { nats: {} } },
    'test',
  );
  const condition = {
    type: 'Ready',
    status: ready ? 'True' : 'False',
    reason: ready ? 'NatsDeployed' : 'Pending',
    message: '',
    lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  const status = {
    observedGeneration: 1,
    url: `nats://eevee-${name}-nats.${namespace}.svc:4222`,
    tokenSecretRef: { name: secret, key: 'token' },
    conditions: [condition],
  };
  await client.apply(
    RESOURCES.IpcConfig,
    { apiVersion: 'eevee.bot/v1', kind: 'IpcConfig', metadata: meta, status },
    'test-ipc-controller',
    { subresource: 'status' },
  );
}

/** What the backup-controller writes when a module's volume has been restored (its contract: the annotation). */
export async function markBootstrapped(h: Harness, module: string): Promise<void> {
  await h.admin.mergePatch(
    RESOURCES.PersistentVolumeClaim,
    h.ns.name,
    `eevee-${module}-module-pvc`,
    { metadata: { annotations: { 'eevee.bot/bootstrapped': 'true' } } },
    'test-backup-controller',
  );
}

/** What the backup-controller writes as a restore progresses (its contract: the BackupRestore status). */
export async function setRestorePhase(h: Harness, name: string, phase: string): Promise<void> {
  await h.admin.apply(
    RESOURCES.BackupRestore,
    {
      apiVersion: 'eevee.bot/v1',
      kind: 'BackupRestore',
      metadata: { name, namespace: h.ns.name },
      status: { phase },
    },
    'test-backup-controller',
    { subresource: 'status' },
  );
}

export async function deploymentOf(
  h: Harness,
  name: string,
): Promise<KubeObject & { spec: DeploymentSpec; status?: { readyReplicas?: number } }> {
  return h.admin.get(RESOURCES.Deployment, h.ns.name, `eevee-${name}-module`);
}

export interface DeploymentSpec {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  strategy: { type: string; rollingUpdate?: { maxUnavailable: number | string } };
  template: {
    metadata: { labels: Record<string, string>; annotations: Record<string, string> };
    spec: {
      containers: {
        name: string;
        image: string;
        imagePullPolicy: string;
        env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
        envFrom?: { secretRef: { name: string } }[];
        ports?: { name: string; containerPort: number }[];
        livenessProbe?: { httpGet: { path: string; port: number } };
        readinessProbe?: { httpGet: { path: string; port: number } };
        volumeMounts?: { name: string; mountPath: string }[];
      }[];
      volumes?: {
        name: string;
        configMap?: { name: string };
        persistentVolumeClaim?: { claimName: string };
      }[];
    };
  };
}

export async function replicaSetsOf(h: Harness, name: string): Promise<number> {
  const list = await h.admin.list(RESOURCES.ReplicaSet, {
    namespace: h.ns.name,
    labelSelector: `eevee.bot/module=${name}`,
  });
  return list.items.length;
}
