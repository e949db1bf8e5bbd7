// Two replicas of each controller with leader election, as the chart runs them: only the leader ever writes
// (the standby's API write counter stays at 0), and when the leaders are SIGKILLed the standbys take over within
// 20 s and carry on converging. Writes are counted by the processes' own metric, by resource.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { createTestNamespace, eventually, metricTotal, testCluster } from '@eevee/testenv';
import type { Cluster, S3Server, TestNamespace } from '@eevee/testenv';
import { installCrds, startController } from '@eevee/stack';
import type { ControllerName, RunningController } from '@eevee/stack';
import { startS3WithBucket } from '../src/index.ts';

const CONTROLLERS: ControllerName[] = ['module-controller', 'ipc-controller', 'backup-controller'];
let cluster: Cluster;
let ns: TestNamespace;
let admin: KubeClient;
let s3: S3Server;
const pairs = new Map<ControllerName, RunningController[]>();

type WithStatus = KubeObject & {
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
};
const ready = (o: WithStatus) => o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
const isLeader = async (c: RunningController) =>
  (await metricTotal(c.port, 'leader_election_master_status').catch(() => 0)) === 1;

const botModule = (name: string): KubeObject => ({
  apiVersion: 'eevee.bot/v1',
  kind: 'BotModule',
  metadata: { name, namespace: ns.name },
  spec: { moduleName: name, image: 'ghcr.io/eeveebot/echo:1.3.9' },
});
const ipcConfig = (name: string): KubeObject => ({
  apiVersion: 'eevee.bot/v1',
  kind: 'IpcConfig',
  metadata: { name, namespace: ns.name },
  spec: { nats: { token: { secretKeyRef: { secret: { name: `${name}-token` } } } } },
});
const s3Store = (name: string): KubeObject => ({
  apiVersion: 'eevee.bot/v1',
  kind: 'S3Store',
  metadata: { name, namespace: ns.name },
  spec: {
    endpoint: s3.endpoint,
    bucket: 'leader-test',
    region: s3.region,
    pathStyle: true,
    accessId: { secretKeyRef: { secret: { name: 's3' }, key: 'id' } },
    accessKey: { secretKeyRef: { secret: { name: 's3' }, key: 'key' } },
  },
});

async function allReady(expected: { modules: number; ipcs: number; stores: number }): Promise<void> {
  await eventually(
    `${expected.modules} modules Ready`,
    () => admin.list<WithStatus>(RESOURCES.BotModule, { namespace: ns.name }),
    (l) => l.items.filter((m) => m.status?.phase === 'Ready').length === expected.modules,
  );
  await eventually(
    `${expected.ipcs} IpcConfigs Ready`,
    () => admin.list<WithStatus>(RESOURCES.IpcConfig, { namespace: ns.name }),
    (l) => l.items.filter(ready).length === expected.ipcs,
  );
  await eventually(
    `${expected.stores} S3Stores Ready`,
    () => admin.list<WithStatus>(RESOURCES.S3Store, { namespace: ns.name }),
    (l) => l.items.filter(ready).length === expected.stores,
  );
}

beforeAll(async () => {
  cluster = await testCluster();
  ns = await createTestNamespace(cluster, 'e2eleader');
  admin = new KubeClient(cluster.kubeConfig);
  await installCrds(admin);
  s3 = await startS3WithBucket('leader-test');
  await admin.create(RESOURCES.Secret, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's3', namespace: ns.name },
    stringData: { id: s3.accessKeyId, key: s3.secretAccessKey },
  });
  for (const name of CONTROLLERS)
    pairs.set(
      name,
      await Promise.all(
        [1, 2].map(() =>
          startController(name, cluster, ns.name, { LEADER_ELECT: 'true', LOG_LEVEL: 'error' }),
        ),
      ),
    );
});
afterAll(async () => {
  await Promise.all([...pairs.values()].flat().map((c) => c.stop()));
  await ns?.delete();
  await s3?.stop();
});

describe('two replicas of each controller', () => {
  it('only the leader writes; SIGKILLed leaders are replaced within 20 s and the bot keeps converging', async () => {
    // One leader per pair once the election settles.
    const leaders = new Map<ControllerName, { leader: RunningController; standby: RunningController }>();
    for (const name of CONTROLLERS) {
      const [a, b] = pairs.get(name)!;
      await eventually(
        `a ${name} leader`,
        async () => [await isLeader(a!), await isLeader(b!)],
        (l) => l.includes(true),
      );
      const aLeads = await isLeader(a!);
      leaders.set(name, { leader: aLeads ? a! : b!, standby: aLeads ? b! : a! });
    }
    for (const obj of [
      ...Array.from({ length: 20 }, (_, i) => botModule(`m${i}`)),
      ipcConfig('bot1'),
      ipcConfig('bot2'),
      s3Store('store1'),
      s3Store('store2'),
    ])
      await admin.create(
        obj.kind === 'BotModule'
          ? RESOURCES.BotModule
          : obj.kind === 'IpcConfig'
            ? RESOURCES.IpcConfig
            : RESOURCES.S3Store,
        obj,
      );
    await allReady({ modules: 20, ipcs: 2, stores: 2 });
    for (const [name, { leader, standby }] of leaders) {
      // The standby only reads its Lease (a first create may race the leader's); it never writes an object.
      expect(await leader.objectWrites(), `${name} leader writes`).toBeGreaterThan(0);
      expect(await standby.objectWrites(), `${name} standby writes`).toBe(0);
    }

    const killedAt = Date.now();
    await Promise.all([...leaders.values()].map(({ leader }) => leader.stop('SIGKILL')));
    const takeover = await Promise.all(
      [...leaders.entries()].map(async ([name, { standby }]) => {
        await eventually(
          `the ${name} standby to lead`,
          () => isLeader(standby),
          (l) => l,
          30_000,
        );
        return Date.now() - killedAt;
      }),
    );
    for (const ms of takeover) expect(ms).toBeLessThan(20_000);

    await admin.create(RESOURCES.BotModule, botModule('after'));
    await admin.create(RESOURCES.IpcConfig, ipcConfig('bot3'));
    await admin.create(RESOURCES.S3Store, s3Store('store3'));
    await allReady({ modules: 21, ipcs: 3, stores: 3 });
    for (const [name, { standby }] of leaders)
      expect(await standby.objectWrites(), `${name} new leader writes`).toBeGreaterThan(0);
    console.log(`leader takeover after SIGKILL: ${takeover.map((ms) => `${ms} ms`).join(', ')}`);
  }, 240_000);
});
