// SIGKILL in the middle of converging: each controller is killed while its objects are half done (300 modules
// for the module-controller, 20 IpcConfigs, 20 S3Stores with BackupSchedules), started again, and everything
// converges with exactly one child per object, every child owned by an object that exists (no orphans), and
// one ReplicaSet per Deployment (the restart changed nothing it had already written).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject, ResourceType } from '@eevee/runtime';
import { createTestNamespace, eventually, testCluster } from '@eevee/testenv';
import type { Cluster, S3Server, TestNamespace } from '@eevee/testenv';
import { installCrds, startController } from '@eevee/stack';
import type { ControllerName, RunningController } from '@eevee/stack';
import { startS3WithBucket } from '../src/index.ts';

let cluster: Cluster;
let admin: KubeClient;
let s3: S3Server;
const namespaces: TestNamespace[] = [];
const running: RunningController[] = [];

beforeAll(async () => {
  cluster = await testCluster();
  admin = new KubeClient(cluster.kubeConfig);
  await installCrds(admin);
  s3 = await startS3WithBucket('crash-test');
});
afterAll(async () => {
  await Promise.all(running.map((c) => c.stop()));
  await Promise.all(namespaces.map((ns) => ns.delete()));
  await s3?.stop();
});

type WithStatus = KubeObject & {
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
};
const isReady = (o: WithStatus) =>
  o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

async function namespace(prefix: string): Promise<string> {
  const ns = await createTestNamespace(cluster, prefix);
  namespaces.push(ns);
  return ns.name;
}

async function createAll(objects: KubeObject[]): Promise<void> {
  // A few at a time: the apiserver is shared with the other test files.
  for (let i = 0; i < objects.length; i += 20)
    await Promise.all(
      objects
        .slice(i, i + 20)
        .map((o) => admin.create(o.kind === 'Secret' ? RESOURCES.Secret : typeFor(o), o)),
    );
}
const typeFor = (o: KubeObject): ResourceType =>
  Object.values(RESOURCES).find((t) => t.kind === o.kind && !('metadataOnly' in t))!;

/** Starts the controller, kills it (SIGKILL) once `progress` reaches `at`, starts it again. */
async function killMidway(
  name: ControllerName,
  ns: string,
  progress: () => Promise<number>,
  at: number,
): Promise<void> {
  const first = await startController(name, cluster, ns);
  await eventually(`${name} to be partway`, progress, (n) => n >= at, 120_000);
  await first.stop('SIGKILL');
  running.push(await startController(name, cluster, ns));
}

/** Every object of `type` in `ns` is controlled by exactly one owner that exists; returns them. */
async function ownedChildren(type: ResourceType, ns: string, owners: KubeObject[]): Promise<KubeObject[]> {
  const uids = new Set(owners.map((o) => o.metadata.uid));
  const children = (await admin.list(type, { namespace: ns })).items.filter((c) =>
    c.metadata.ownerReferences?.some((r) => r.controller),
  );
  for (const child of children) {
    const controller = child.metadata.ownerReferences!.filter((r) => r.controller);
    expect(controller, `${type.kind} ${child.metadata.name}`).toHaveLength(1);
    expect(uids.has(controller[0]!.uid), `${type.kind} ${child.metadata.name} orphaned`).toBe(true);
  }
  return children;
}

describe('a controller killed while converging', () => {
  it('module-controller: 300 modules converge after a SIGKILL, one of each child, no orphans', async () => {
    const ns = await namespace('e2ekill-mod');
    const names = Array.from({ length: 300 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    await createAll(
      names.map((n) => ({
        apiVersion: 'eevee.bot/v1',
        kind: 'BotModule',
        metadata: { name: n, namespace: ns },
        spec: { moduleName: n, image: 'ghcr.io/eeveebot/echo:1.3.9', moduleConfig: `name: ${n}\n` },
      })),
    );
    const list = () => admin.list<WithStatus>(RESOURCES.BotModule, { namespace: ns });
    await killMidway(
      'module-controller',
      ns,
      async () => (await admin.list(RESOURCES.Deployment, { namespace: ns })).items.length,
      80,
    );
    const modules = await eventually(
      'all 300 modules Ready',
      list,
      (l) => l.items.filter((m) => m.status?.phase === 'Ready').length === 300,
      240_000,
    );
    const deployments = await ownedChildren(RESOURCES.Deployment, ns, modules.items);
    const configMaps = await ownedChildren(RESOURCES.ConfigMap, ns, modules.items);
    expect(deployments).toHaveLength(300);
    expect(configMaps).toHaveLength(300);
    // A Deployment whose template the restart changed would have a second ReplicaSet.
    const replicaSets = await ownedChildren(RESOURCES.ReplicaSet, ns, deployments);
    expect(replicaSets).toHaveLength(300);
  }, 400_000);

  it('ipc-controller: 20 IpcConfigs converge after a SIGKILL, one server and token each, no orphans', async () => {
    const ns = await namespace('e2ekill-ipc');
    const names = Array.from({ length: 20 }, (_, i) => `bot${i}`);
    await createAll(
      names.map((n) => ({
        apiVersion: 'eevee.bot/v1',
        kind: 'IpcConfig',
        metadata: { name: n, namespace: ns },
        spec: { nats: { token: { secretKeyRef: { secret: { name: `${n}-token` } } } } },
      })),
    );
    await killMidway(
      'ipc-controller',
      ns,
      async () => (await admin.list(RESOURCES.Deployment, { namespace: ns })).items.length,
      6,
    );
    const ipcs = await eventually(
      'all 20 IpcConfigs Ready',
      () => admin.list<WithStatus>(RESOURCES.IpcConfig, { namespace: ns }),
      (l) => l.items.filter(isReady).length === 20,
      180_000,
    );
    expect(await ownedChildren(RESOURCES.Deployment, ns, ipcs.items)).toHaveLength(20);
    expect(await ownedChildren(RESOURCES.ConfigMap, ns, ipcs.items)).toHaveLength(20);
    // Token Secrets have no owner (they outlive their IpcConfig): exactly one per IpcConfig, never two.
    const secrets = (await admin.list(RESOURCES.Secret, { namespace: ns })).items.filter((s) =>
      s.metadata.name.endsWith('-token'),
    );
    expect(secrets.map((s) => s.metadata.name).sort()).toEqual(names.map((n) => `${n}-token`).sort());
  }, 300_000);

  it('backup-controller: 20 stores and schedules converge after a SIGKILL, one CronJob each, no orphans', async () => {
    const ns = await namespace('e2ekill-bak');
    const names = Array.from({ length: 20 }, (_, i) => `s${i}`);
    await admin.create(RESOURCES.Secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's3', namespace: ns },
      stringData: { id: s3.accessKeyId, key: s3.secretAccessKey },
    });
    await createAll([
      ...names.map((n) => ({
        apiVersion: 'eevee.bot/v1',
        kind: 'S3Store',
        metadata: { name: n, namespace: ns },
        spec: {
          endpoint: s3.endpoint,
          bucket: 'crash-test',
          region: s3.region,
          pathStyle: true,
          accessId: { secretKeyRef: { secret: { name: 's3' }, key: 'id' } },
          accessKey: { secretKeyRef: { secret: { name: 's3' }, key: 'key' } },
        },
      })),
      ...names.map((n) => ({
        apiVersion: 'eevee.bot/v1',
        kind: 'BackupSchedule',
        metadata: { name: n, namespace: ns },
        spec: { schedule: '30 3 * * *', s3Store: { name: n }, image: 'ghcr.io/eeveebot/backupjob:1.0.0' },
      })),
      ...names.map((n) => ({
        apiVersion: 'eevee.bot/v1',
        kind: 'BotModule',
        metadata: { name: `mod-${n}`, namespace: ns },
        spec: {
          moduleName: `mod-${n}`,
          image: 'ghcr.io/eeveebot/seen:1.6.4',
          backupSchedule: { name: n },
          persistentVolumeClaim: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '1Gi' } },
          },
        },
      })),
    ]);
    await killMidway(
      'backup-controller',
      ns,
      async () => (await admin.list(RESOURCES.CronJob, { namespace: ns })).items.length,
      5,
    );
    const schedules = await eventually(
      'all 20 schedules Ready',
      () => admin.list<WithStatus>(RESOURCES.BackupSchedule, { namespace: ns }),
      (l) => l.items.filter(isReady).length === 20,
      180_000,
    );
    expect(await ownedChildren(RESOURCES.CronJob, ns, schedules.items)).toHaveLength(20);
  }, 300_000);
});
