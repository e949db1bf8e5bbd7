// A backup → restore round trip through the controllers' own Jobs, against the real S3 server: the
// backup-controller's CronJob backs a module's volume up, and a new module bootstrapped from the latest backup
// gets it back through the restore Job the backup-controller starts. kwok does not run containers, so the
// backup-runner is run here with exactly the command and environment of those Jobs (Secrets resolved as the
// kubelet does), the volume being a local directory; kwok completes the Jobs, and the module becomes Ready.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { createTestNamespace, eventually, testCluster } from '@eevee/testenv';
import type { Cluster, S3Server, TestNamespace } from '@eevee/testenv';
import { installCrds, startController } from '@eevee/stack';
import type { RunningController } from '@eevee/stack';
import { createNightlySchedule, createS3Store, runAsJob, startS3WithBucket } from '../src/index.ts';
import type { CronJob, PodTemplate } from '../src/index.ts';

type Job = KubeObject & { spec: { template: PodTemplate } };
type Module = KubeObject & { status?: { phase?: string } };

let cluster: Cluster;
let ns: TestNamespace;
let admin: KubeClient;
let s3: S3Server;
let work: string;
const controllers: RunningController[] = [];

beforeAll(async () => {
  cluster = await testCluster();
  admin = new KubeClient(cluster.kubeConfig);
  await installCrds(admin);
  ns = await createTestNamespace(cluster, 'e2eround');
  s3 = await startS3WithBucket('bot-backups');
  work = mkdtempSync(join(tmpdir(), 'e2e-roundtrip-'));
  controllers.push(
    await startController('module-controller', cluster, ns.name),
    await startController('backup-controller', cluster, ns.name),
  );
});
afterAll(async () => {
  await Promise.all(controllers.map((c) => c.stop()));
  await ns?.delete();
  await s3?.stop();
  rmSync(work, { recursive: true, force: true });
});

function files(dir: string, root = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, files(path, root));
    else out[relative(root, path)] = readFileSync(path).toString('base64');
  }
  return out;
}

const botModule = (name: string, extra: Record<string, unknown>): KubeObject => ({
  apiVersion: 'eevee.bot/v1',
  kind: 'BotModule',
  metadata: { name, namespace: ns.name },
  spec: {
    moduleName: 'seen',
    image: 'ghcr.io/eeveebot/seen:1.6.4',
    persistentVolumeClaim: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    ...extra,
  },
});

describe('backup and restore through the controllers Jobs', () => {
  it('backs a volume up with the CronJob and bootstraps a new module from it with the restore Job', async () => {
    await createS3Store(admin, ns.name, s3, { name: 'offsite', bucket: 'bot-backups', prefix: 'bots/' });
    await createNightlySchedule(admin, ns.name, 'offsite');
    await admin.create(RESOURCES.BotModule, botModule('seen', { backupSchedule: { name: 'nightly' } }));

    // The live volume of `seen`: a database, a nested directory, binary data.
    const live = join(work, 'live');
    mkdirSync(join(live, 'logs', '2026'), { recursive: true });
    writeFileSync(join(live, 'seen.db'), 'SQLite format 3\u0000 rows\n');
    writeFileSync(join(live, 'logs', '2026', 'nov.log'), 'x'.repeat(100_000));
    writeFileSync(join(live, 'blob.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256)));

    const cronJob = await eventually(
      'the backup CronJob of seen',
      async () => (await admin.list<CronJob>(RESOURCES.CronJob, { namespace: ns.name })).items,
      (items) => items.length === 1,
    );
    const secrets = { s3: { id: s3.accessKeyId, key: s3.secretAccessKey } };
    const backup = await runAsJob(
      cronJob[0]!.spec.jobTemplate.spec.template,
      secrets,
      live,
      join(work, 'backup.result'),
    );
    expect(backup).toMatchObject({ exitCode: 0, result: { ok: true } });

    // A new module (same moduleName, so the same backups) that starts from the latest backup.
    await admin.create(
      RESOURCES.BotModule,
      botModule('seen-new', { bootstrapFromBackup: { s3Store: { name: 'offsite' } } }),
    );
    const restoreJob = await eventually(
      'the restore Job of the bootstrap',
      async () => (await admin.list<Job>(RESOURCES.Job, { namespace: ns.name })).items,
      (items) => items.some((j) => j.spec.template.spec.containers[0]?.command?.[0]?.endsWith('restore.sh')),
    );
    const restored = join(work, 'restored');
    mkdirSync(restored);
    const job = restoreJob.find((j) =>
      j.spec.template.spec.containers[0]?.command?.[0]?.endsWith('restore.sh'),
    )!;
    const restore = await runAsJob(job.spec.template, secrets, restored, join(work, 'restore.result'));
    expect(restore).toMatchObject({ exitCode: 0, result: { ok: true, backupId: backup.result.backupId } });
    expect(files(restored)).toEqual(files(live));

    await eventually(
      'seen-new Ready after its bootstrap',
      () => admin.get<Module>(RESOURCES.BotModule, ns.name, 'seen-new'),
      (m) => m.status?.phase === 'Ready',
    );
  }, 180_000);
});
