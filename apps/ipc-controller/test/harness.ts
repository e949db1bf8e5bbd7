// Runs the real ipc-controller (in process, on the runtime) against the test cluster, in one namespace, as the
// ServiceAccount with the permissions its code declares: exactly what the chart ships.
import { RESOURCES } from '@eevee/runtime';
import type { KubeObject, Logger } from '@eevee/runtime';
import { eventsOf as eventsOn, startControllerHarness } from '@eevee/runtime/testing';
import type { ControllerHarness } from '@eevee/runtime/testing';
import { eventually } from '@eevee/testenv';
import { ipcConfigController } from '../src/controller.ts';

export type Harness = ControllerHarness;

export function startIpcController(
  prefix: string,
  env: Record<string, string> = {},
  logger?: Logger,
): Promise<Harness> {
  return startControllerHarness({
    name: 'ipc-controller',
    controllers: [ipcConfigController()],
    prefix,
    env,
    ...(logger ? { logger } : {}),
    asServiceAccount: {
      name: 'eevee-ipc-controller',
    },
  });
}

type Condition = { type: string; status: string; reason: string; message: string };
export type IpcConfigObject = KubeObject & {
  spec: Record<string, unknown>;
  status?: {
    observedGeneration?: number;
    url?: string;
    tokenSecretRef?: { name: string; key: string };
    conditions?: Condition[];
  };
};

export function applyIpcConfig(
  h: Harness,
  name: string,
  nats: Record<string, unknown>,
  annotations?: Record<string, string>,
): Promise<KubeObject> {
  return h.admin.apply(
    RESOURCES.IpcConfig,
    {
      apiVersion: 'eevee.bot/v1',
      kind: 'IpcConfig',
      metadata: { name, namespace: h.ns.name, ...(annotations ? { annotations } : {}) },
      spec: { nats },
    },
    'test',
  );
}

export const condition = (ipc: IpcConfigObject, type: string): Condition | undefined =>
  ipc.status?.conditions?.find((c) => c.type === type);

/** Waits until the IpcConfig's status describes its current generation and `done` holds. */
export function waitForIpc(
  h: Harness,
  name: string,
  what: string,
  done: (ipc: IpcConfigObject) => boolean,
  timeoutMs = 60_000,
): Promise<IpcConfigObject> {
  return eventually(
    `IpcConfig ${name}: ${what}`,
    () => h.admin.get<IpcConfigObject>(RESOURCES.IpcConfig, h.ns.name, name),
    (ipc) => ipc.status?.observedGeneration === ipc.metadata.generation && done(ipc),
    timeoutMs,
  );
}

export const isReady = (ipc: IpcConfigObject): boolean => condition(ipc, 'Ready')?.status === 'True';

export async function secretData(h: Harness, name: string): Promise<Record<string, string>> {
  const secret = await h.admin.get<KubeObject & { data?: Record<string, string> }>(
    RESOURCES.Secret,
    h.ns.name,
    name,
  );
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
}

/** The Events recorded on an object, as "reason: note". */
export const eventsOf = (h: Harness, name: string): Promise<string[]> => eventsOn(h.admin, h.ns.name, name);
