// The ipc-controller and the module-controller, each its own process, wire a module to its bot's NATS through
// IpcConfig status only: the module's env, resolved as the kubelet would, connects to a nats-server running the
// configuration and environment the ipc-controller gave the server. A token rotation rolls both and still
// connects; a new token Secret or url in the IpcConfig's status reaches the module's Deployment, with the event
// bus (a real nats-server) carrying the ipc-controller's `changed` hint to the module-controller as in production.
// (Pod IPs and Service names are fake under kwok: the server runs on loopback with the same config.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import type { V1Container } from '@kubernetes/client-node';
import { crdManifestFiles } from '@eevee/crds';
import { KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import {
  createTestNamespace,
  eventually,
  freePorts,
  podEnvironment,
  startNats,
  startNatsFromConfig,
  testCluster,
} from '@eevee/testenv';
import type { Cluster, NatsServer, TestNamespace } from '@eevee/testenv';
import { startController } from '../src/index.ts';
import type { RunningController } from '../src/index.ts';

let cluster: Cluster;
let ns: TestNamespace;
let admin: KubeClient;
let bus: NatsServer;
let dir: string;
const controllers: RunningController[] = [];

beforeAll(async () => {
  cluster = await testCluster();
  await cluster.applyFiles(crdManifestFiles());
  ns = await createTestNamespace(cluster, 'e2enats');
  admin = new KubeClient(cluster.kubeConfig);
  bus = await startNats();
  dir = mkdtempSync(join(tmpdir(), 'e2e-nats-wiring-'));
  writeFileSync(join(dir, 'token'), bus.token);
  const events = { EEVEE_EVENTS_NATS_URL: bus.url, EEVEE_EVENTS_NATS_TOKEN_FILE: join(dir, 'token') };
  controllers.push(
    ...(await Promise.all([
      startController('ipc-controller', cluster, ns.name, events),
      startController('module-controller', cluster, ns.name, events),
    ])),
  );
});
afterAll(async () => {
  await Promise.all(controllers.map((c) => c.stop()));
  await ns?.delete();
  await bus?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Workload = KubeObject & {
  spec: {
    template: { metadata: { annotations?: Record<string, string> }; spec: { containers: V1Container[] } };
  };
};
type Status = {
  phase?: string;
  conditions?: { type: string; status: string }[];
  observedGeneration?: number;
};

const deployment = (name: string) => admin.get<Workload>(RESOURCES.Deployment, ns.name, name);
const secretData = async (name: string) => {
  const s = await admin.get<KubeObject & { data: Record<string, string> }>(RESOURCES.Secret, ns.name, name);
  return Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
};
const hash = (w: Workload) => w.spec.template.metadata.annotations?.['eevee.bot/config-hash'];

/** Where the module's NATS_HOST and NATS_TOKEN come from: the Secret each secretKeyRef names. */
const moduleNatsSecrets = async () =>
  Object.fromEntries(
    ((await deployment('eevee-echo-module')).spec.template.spec.containers[0]!.env ?? [])
      .filter((e) => e.name === 'NATS_HOST' || e.name === 'NATS_TOKEN')
      .map((e) => [e.name, e.valueFrom?.secretKeyRef?.name]),
  );

/** The server from the ConfigMap and the server Deployment's env; a client with the module Deployment's env. */
async function moduleConnects(tokenSecret = 'nats-token'): Promise<{ host: string }> {
  const config = await admin.get<KubeObject & { data: Record<string, string> }>(
    RESOURCES.ConfigMap,
    ns.name,
    'eevee-bot-nats-config',
  );
  const secrets = { [tokenSecret]: await secretData(tokenSecret) };
  const serverEnv = podEnvironment(
    (await deployment('eevee-bot-nats')).spec.template.spec.containers[0]!.env!,
    secrets,
  );
  const moduleEnv = podEnvironment(
    (await deployment('eevee-echo-module')).spec.template.spec.containers[0]!.env!,
    secrets,
  );
  const [port, monitor] = await freePorts(2);
  const server = await startNatsFromConfig(config.data['nats.conf']!, {
    env: serverEnv,
    args: ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitor)],
    monitorPort: monitor!,
  });
  try {
    const client = await connect({
      servers: `nats://127.0.0.1:${port}`,
      token: moduleEnv['NATS_TOKEN']!,
      reconnect: false,
    });
    await client.flush();
    await client.close();
  } finally {
    await server.stop();
  }
  return { host: moduleEnv['NATS_HOST']! };
}

describe('a module and its NATS, across the two controllers', () => {
  it('the module gets NATS_HOST and NATS_TOKEN from the IpcConfig status, and they work', async () => {
    await admin.create(RESOURCES.IpcConfig, {
      apiVersion: 'eevee.bot/v1',
      kind: 'IpcConfig',
      metadata: { name: 'bot', namespace: ns.name },
      spec: { nats: {} },
    });
    await admin.create(RESOURCES.BotModule, {
      apiVersion: 'eevee.bot/v1',
      kind: 'BotModule',
      metadata: { name: 'echo', namespace: ns.name },
      spec: { moduleName: 'echo', image: 'ghcr.io/eeveebot/echo:1.3.9', ipcConfig: 'bot' },
    });
    const module = await eventually(
      'the module to be Ready with NATS',
      () => admin.get<KubeObject & { status?: Status }>(RESOURCES.BotModule, ns.name, 'echo'),
      (m) =>
        m.status?.phase === 'Ready' &&
        m.status.conditions?.some((c) => c.type === 'IpcReady' && c.status === 'True') === true,
      90_000,
    );
    expect(module.status?.observedGeneration).toBe(module.metadata.generation);
    const { host } = await moduleConnects();
    expect(host).toBe(`eevee-bot-nats.${ns.name}.svc.cluster.local`);
  });

  it('a token rotation rolls the server and the module, which still connect with the new token', async () => {
    const before = {
      server: hash(await deployment('eevee-bot-nats')),
      module: hash(await deployment('eevee-echo-module')),
    };
    const oldToken = (await secretData('nats-token'))['token'];
    await admin.mergePatch(
      RESOURCES.IpcConfig,
      ns.name,
      'bot',
      { metadata: { annotations: { 'eevee.bot/rotate-token': '1' } } },
      'e2e',
    );
    await eventually(
      'both to roll',
      async () => ({
        server: hash(await deployment('eevee-bot-nats')),
        module: hash(await deployment('eevee-echo-module')),
      }),
      (now) => now.server !== before.server && now.module !== before.module,
      60_000,
    );
    expect((await secretData('nats-token'))['token']).not.toBe(oldToken);
    await moduleConnects();
  });

  it('a new token Secret in the IpcConfig status reaches the module, which connects with it', async () => {
    expect(await moduleNatsSecrets()).toEqual({ NATS_HOST: 'nats-token', NATS_TOKEN: 'nats-token' });
    await admin.mergePatch(
      RESOURCES.IpcConfig,
      ns.name,
      'bot',
      { spec: { nats: { token: { secretKeyRef: { secret: { name: 'bot-token-2' } } } } } },
      'e2e',
    );
    await eventually(
      "the module's NATS env to read the new Secret",
      moduleNatsSecrets,
      (refs) => refs['NATS_HOST'] === 'bot-token-2' && refs['NATS_TOKEN'] === 'bot-token-2',
      60_000,
    );
    expect((await secretData('bot-token-2'))['token']).not.toBe((await secretData('nats-token'))['token']);
    // The server rolls onto the new Secret too (its own env); wait for it before running both.
    await eventually(
      'the server to read the new Secret',
      async () =>
        (await deployment('eevee-bot-nats')).spec.template.spec.containers[0]!.env!.find(
          (e) => e.name === 'NATS_TOKEN_SECRET',
        )?.valueFrom?.secretKeyRef?.name,
      (name) => name === 'bot-token-2',
    );
    await moduleConnects('bot-token-2');
  });

  it('a new url in the IpcConfig status (an external NATS) reaches the module as NATS_HOST', async () => {
    await admin.create(RESOURCES.Secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'external-nats', namespace: ns.name },
      stringData: { token: 'external-token', host: 'nats.example.org' },
    });
    await admin.mergePatch(
      RESOURCES.IpcConfig,
      ns.name,
      'bot',
      {
        spec: {
          nats: {
            managed: { enabled: false },
            token: { generate: false, secretKeyRef: { secret: { name: 'external-nats' } } },
          },
        },
      },
      'e2e',
    );
    await eventually(
      'the IpcConfig to publish the external url',
      () => admin.get<KubeObject & { status?: { url?: string } }>(RESOURCES.IpcConfig, ns.name, 'bot'),
      (ipc) => ipc.status?.url === 'nats://nats.example.org:4222',
    );
    await eventually(
      "the module's NATS env to read the external Secret",
      moduleNatsSecrets,
      (refs) => refs['NATS_HOST'] === 'external-nats' && refs['NATS_TOKEN'] === 'external-nats',
      60_000,
    );
    const env = podEnvironment(
      (await deployment('eevee-echo-module')).spec.template.spec.containers[0]!.env!,
      { 'external-nats': await secretData('external-nats') },
    );
    expect(env).toMatchObject({ NATS_HOST: 'nats.example.org', NATS_TOKEN: 'external-token' });
  });
});
