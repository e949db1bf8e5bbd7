// Bootstrap across the module-controller and the backup-controller, each its own process, against the real S3
// server: a new module that starts from a backup waits (WaitingForBackup) while there is none, gets its newest
// backup restored by a Job (kwok completes it) once there is one, and only then starts and becomes Ready.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { backupKey, s3Client } from '@eevee/backups';
import { crdManifestFiles } from '@eevee/crds';
import { KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { createTestNamespace, eventually, startS3, testCluster } from '@eevee/testenv';
import type { Cluster, S3Server, TestNamespace } from '@eevee/testenv';
import { createS3Store, startController } from '../src/index.ts';
import type { RunningController } from '../src/index.ts';

let cluster: Cluster;
let ns: TestNamespace;
let admin: KubeClient;
let s3: S3Server;
const controllers: RunningController[] = [];

beforeAll(async () => {
  cluster = await testCluster();
  await cluster.applyFiles(crdManifestFiles());
  ns = await createTestNamespace(cluster, 'e2eboot');
  admin = new KubeClient(cluster.kubeConfig);
  s3 = await startS3();
  controllers.push(
    ...(await Promise.all([
      startController('module-controller', cluster, ns.name),
      startController('backup-controller', cluster, ns.name),
    ])),
  );
});
afterAll(async () => {
  await Promise.all(controllers.map((c) => c.stop()));
  await ns?.delete();
  await s3?.stop();
});

type Status = { phase?: string; conditions?: { type: string; status: string; reason: string }[] };
const getModule = () => admin.get<KubeObject & { status?: Status }>(RESOURCES.BotModule, ns.name, 'seen');
const client = () =>
  s3Client(
    { endpoint: s3.endpoint, region: s3.region, pathStyle: true },
    { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  );

describe('a module that starts from a backup', () => {
  it('waits for a backup, is restored from the newest, then starts', async () => {
    await client().send(new CreateBucketCommand({ Bucket: 'bot-backups' }));
    await createS3Store(admin, ns.name, s3, { name: 'store', bucket: 'bot-backups', prefix: 'bots/' });
    await admin.create(RESOURCES.BotModule, {
      apiVersion: 'eevee.bot/v1',
      kind: 'BotModule',
      metadata: { name: 'seen', namespace: ns.name },
      spec: {
        moduleName: 'seen',
        image: 'ghcr.io/eeveebot/seen:1.0.0',
        persistentVolumeClaim: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
        },
        bootstrapFromBackup: { s3Store: { name: 'store' }, image: 'ghcr.io/eeveebot/backup-runner:1.0.0' },
      },
    });
    await eventually(
      'the module to wait for a backup',
      getModule,
      (m) => m.status?.phase === 'WaitingForBackup',
    );
    const deployments = await admin.list(RESOURCES.Deployment, { namespace: ns.name });
    expect(deployments.items).toHaveLength(0);

    // The first backup appears (as a schedule's Job would leave it); the backup-controller looks again when the
    // store changes or every 5 minutes: here a store edit (its test interval) wakes it.
    const id = randomUUID();
    await client().send(
      new PutObjectCommand({
        Bucket: 'bot-backups',
        Key: backupKey({ prefix: 'bots/', namespace: ns.name, module: 'seen' }, id),
        Body: 'archive',
      }),
    );
    await admin.mergePatch(
      RESOURCES.S3Store,
      ns.name,
      'store',
      { spec: { testIntervalSeconds: 300 } },
      'e2e',
    );

    const ready = await eventually(
      'the module to be restored and Ready',
      getModule,
      (m) => m.status?.phase === 'Ready',
      90_000,
    );
    expect(ready.status?.conditions?.find((c) => c.type === 'Bootstrapped')).toMatchObject({
      status: 'True',
    });
    const restores = await admin.list<
      KubeObject & { spec: { backupId?: string }; status?: { phase?: string } }
    >(RESOURCES.BackupRestore, { namespace: ns.name });
    expect(restores.items.map((r) => [r.spec.backupId, r.status?.phase])).toEqual([[id, 'Succeeded']]);
    const pvc = await admin.get(RESOURCES.PersistentVolumeClaim, ns.name, 'eevee-seen-module-pvc');
    expect(pvc.metadata.annotations?.['eevee.bot/bootstrapped']).toBe('true');
  });
});
