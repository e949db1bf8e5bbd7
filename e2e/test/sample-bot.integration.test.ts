// The sample bot (crds/examples, 12 modules, NATS, S3 backups with a bootstrap and a restore) with the
// module-, ipc- and backup-controller as their own processes: it converges; a config edit rolls exactly one
// module; an image edit rolls it; `kubectl scale` scales; disable keeps config and data, enable brings it back;
// deleting a module removes its children and keeps its volume.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { createTestNamespace, eventually, testCluster } from '@eevee/testenv';
import type { Cluster, TestNamespace } from '@eevee/testenv';
import {
  applyAll,
  installCrds,
  sampleBot,
  seedBackups,
  startController,
  startLocalStore,
  storePrefix,
} from '@eevee/stack';
import type { LocalStore, RunningController } from '@eevee/stack';

let cluster: Cluster;
let ns: TestNamespace;
let admin: KubeClient;
let store: LocalStore;
const controllers: RunningController[] = [];

type Module = KubeObject & {
  spec: Record<string, unknown>;
  status?: { phase?: string; readyReplicas?: number };
};
type Deployment = KubeObject & {
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  status?: { readyReplicas?: number; updatedReplicas?: number };
};

const modules = async () => (await admin.list<Module>(RESOURCES.BotModule, { namespace: ns.name })).items;
const deployments = async () =>
  new Map(
    (await admin.list<Deployment>(RESOURCES.Deployment, { namespace: ns.name })).items.map((d) => [
      d.metadata.name,
      d,
    ]),
  );
const deployment = (module: string) =>
  admin.get<Deployment>(RESOURCES.Deployment, ns.name, `eevee-${module}-module`);
const patchModule = (name: string, spec: Record<string, unknown>) =>
  admin.mergePatch(RESOURCES.BotModule, ns.name, name, { spec }, 'e2e');
const phaseOf = async (name: string) =>
  (await admin.get<Module>(RESOURCES.BotModule, ns.name, name)).status?.phase;

beforeAll(async () => {
  cluster = await testCluster();
  admin = new KubeClient(cluster.kubeConfig);
  await installCrds(admin);
  ns = await createTestNamespace(cluster, 'e2ebot');
  store = await startLocalStore();
  const bot = sampleBot(ns.name, store);
  await seedBackups(store, { prefix: storePrefix(bot), namespace: ns.name }, ['seen', 'tell']);
  controllers.push(
    ...(await Promise.all(
      (['module-controller', 'ipc-controller', 'backup-controller'] as const).map((c) =>
        startController(c, cluster, ns.name),
      ),
    )),
  );
  await applyAll(
    admin,
    bot.filter((o) => o.kind !== 'Namespace'),
  );
});
afterAll(async () => {
  await Promise.all(controllers.map((c) => c.stop()));
  await ns?.delete();
  await store?.s3.stop();
});

describe('the sample bot with the controllers as processes', () => {
  it('converges: all 12 modules Ready, the bootstrap and the restore done', async () => {
    await eventually(
      'all 12 modules Ready',
      modules,
      (ms) => ms.length === 12 && ms.every((m) => m.status?.phase === 'Ready'),
      120_000,
    );
    const restores = await admin.list<KubeObject & { status?: { phase?: string } }>(RESOURCES.BackupRestore, {
      namespace: ns.name,
    });
    expect(restores.items.map((r) => r.status?.phase)).toEqual(['Succeeded', 'Succeeded']);
  });

  it('rolls exactly the one module whose config changed', async () => {
    const before = await deployments();
    await patchModule('echo', {
      moduleConfig: 'ratelimit: {mode: drop, level: user, limit: 9, interval: 1m}\n',
    });
    await eventually(
      'echo to roll',
      () => deployment('echo'),
      (d) => (d.metadata.generation ?? 0) > (before.get('eevee-echo-module')!.metadata.generation ?? 0),
    );
    await eventually(
      'echo Ready again',
      () => phaseOf('echo'),
      (p) => p === 'Ready',
    );
    const after = await deployments();
    const rolled = [...after.values()]
      .filter((d) => d.metadata.generation !== before.get(d.metadata.name)?.metadata.generation)
      .map((d) => d.metadata.name);
    expect(rolled).toEqual(['eevee-echo-module']);
  });

  it('rolls a module to a new image', async () => {
    await patchModule('dice', { image: 'ghcr.io/eeveebot/dice:1.5.0' });
    const rolled = await eventually(
      'dice on the new image, all pods updated and ready',
      () => deployment('dice'),
      (d) =>
        d.spec.template.spec.containers[0]?.image === 'ghcr.io/eeveebot/dice:1.5.0' &&
        d.status?.updatedReplicas === d.spec.replicas &&
        d.status?.readyReplicas === d.spec.replicas,
    );
    expect(rolled.spec.replicas).toBe(1);
    await eventually(
      'dice Ready',
      () => phaseOf('dice'),
      (p) => p === 'Ready',
    );
  });

  it('scales with kubectl scale', async () => {
    await cluster.kubectl(['scale', '-n', ns.name, 'botmodule/help', '--replicas=3']);
    await eventually(
      'help at 3 ready replicas',
      () => admin.get<Module>(RESOURCES.BotModule, ns.name, 'help'),
      (m) => m.status?.readyReplicas === 3 && m.status.phase === 'Ready',
    );
    expect((await deployment('help')).spec.replicas).toBe(3);
  });

  it('disables a module (0 replicas, config and volume kept) and enables it again', async () => {
    await patchModule('seen', { enabled: false });
    await eventually(
      'seen Disabled',
      () => phaseOf('seen'),
      (p) => p === 'Disabled',
    );
    expect((await deployment('seen')).spec.replicas).toBe(0);
    await admin.get(RESOURCES.ConfigMap, ns.name, 'eevee-seen-module-config');
    await admin.get(RESOURCES.PersistentVolumeClaim, ns.name, 'eevee-seen-module-pvc');
    await patchModule('seen', { enabled: true });
    await eventually(
      'seen Ready',
      () => phaseOf('seen'),
      (p) => p === 'Ready',
    );
    expect((await deployment('seen')).spec.replicas).toBe(1);
  });

  it('removes a deleted module children and keeps its volume', async () => {
    await admin.delete(RESOURCES.BotModule, ns.name, 'tell');
    await eventually(
      'the Deployment, ConfigMap and Service of tell to be collected',
      async () =>
        Promise.all(
          [
            [RESOURCES.Deployment, 'eevee-tell-module'],
            [RESOURCES.ConfigMap, 'eevee-tell-module-config'],
          ].map(([type, name]) =>
            admin.get(type as typeof RESOURCES.Deployment, ns.name, name as string).then(
              () => 'present',
              (err: { code?: number }) => (err.code === 404 ? 'gone' : 'error'),
            ),
          ),
        ),
      (states) => states.every((s) => s === 'gone'),
    );
    const pvc = await admin.get(RESOURCES.PersistentVolumeClaim, ns.name, 'eevee-tell-module-pvc');
    expect(pvc.metadata.deletionTimestamp).toBeUndefined();
  });
});
