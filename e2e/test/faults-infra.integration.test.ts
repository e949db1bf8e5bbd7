// The controllers when what they depend on fails:
// - the kube-apiserver restarts mid-run (on a cluster of this file's own, so no other test is disturbed): the
//   controllers recover, converge, and miss none of the changes made right after it came back;
// - the NATS event bus is down: the controllers keep converging from their watches alone;
// - S3 is down: a backup run fails and the BackupSchedule's status says why (the runner's own error), the S3Store
//   reports it too, and the next run once S3 is back succeeds. kwok runs no container, so each run of the backup
//   CronJob is the real backup-runner with its Job's environment, its outcome handed to a Job that kwok ends
//   the same way (its pod-replay stage).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { createTestNamespace, eventually, startCluster, startNats, testCluster } from '@eevee/testenv';
import type { Cluster, S3Server, TestNamespace } from '@eevee/testenv';
import { installCrds, startController } from '@eevee/stack';
import type { RunningController } from '@eevee/stack';
import {
  createNightlySchedule,
  createS3Store,
  replayJob,
  runAsJob,
  startS3WithBucket,
} from '../src/index.ts';
import type { CronJob, RunOutcome } from '../src/index.ts';

type WithStatus = KubeObject & {
  status?: { phase?: string; conditions?: { type: string; status: string; message?: string }[] };
};
const condition = (o: WithStatus, type: string) => o.status?.conditions?.find((c) => c.type === type);
const module = (namespace: string, name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'eevee.bot/v1',
  kind: 'BotModule',
  metadata: { name, namespace },
  spec: { moduleName: name, image: 'ghcr.io/eeveebot/echo:1.3.9', moduleConfig: 'limit: 1\n', ...extra },
});

describe('a kube-apiserver restart mid-run', () => {
  let cluster: Cluster;
  let admin: KubeClient;
  let ns: string;
  const running: RunningController[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ name: `e2e-apiserver-${process.pid}` });
    admin = new KubeClient(cluster.kubeConfig);
    await installCrds(admin);
    ns = (await createTestNamespace(cluster, 'e2eapi')).name;
    running.push(
      await startController('module-controller', cluster, ns),
      await startController('ipc-controller', cluster, ns),
    );
  }, 180_000);
  afterAll(async () => {
    await Promise.all(running.map((c) => c.stop()));
    await cluster?.stop();
  });

  it('recovers, converges and misses no change made right after the restart', async () => {
    for (let i = 0; i < 100; i += 1) await admin.create(RESOURCES.BotModule, module(ns, `m${i}`));
    await eventually(
      'some modules converging',
      async () => (await admin.list(RESOURCES.Deployment, { namespace: ns })).items.length,
      (n) => n >= 20,
    );
    await cluster.restartApiserver(2_000);
    // Right after it is back, before the controllers' watches are re-established.
    await admin.mergePatch(RESOURCES.BotModule, ns, 'm0', { spec: { moduleConfig: 'limit: 2\n' } }, 'e2e');
    await admin.create(RESOURCES.BotModule, module(ns, 'late'));
    await admin.create(RESOURCES.IpcConfig, {
      apiVersion: 'eevee.bot/v1',
      kind: 'IpcConfig',
      metadata: { name: 'bot', namespace: ns },
      spec: { nats: { token: { secretKeyRef: { secret: { name: 'bot-token' } } } } },
    });
    await eventually(
      'all 101 modules Ready',
      () => admin.list<WithStatus>(RESOURCES.BotModule, { namespace: ns }),
      (l) => l.items.filter((m) => m.status?.phase === 'Ready').length === 101,
      180_000,
    );
    const config = await admin.get<KubeObject & { data: Record<string, string> }>(
      RESOURCES.ConfigMap,
      ns,
      'eevee-m0-module-config',
    );
    expect(Object.values(config.data).join()).toContain('limit: 2');
    await eventually(
      'the IpcConfig made after the restart Ready',
      () => admin.get<WithStatus>(RESOURCES.IpcConfig, ns, 'bot'),
      (ipc) => condition(ipc, 'Ready')?.status === 'True',
    );
    for (const c of running) expect(c.process.exitCode, c.name).toBeNull();
  }, 300_000);
});

describe('the NATS event bus down', () => {
  let cluster: Cluster;
  let ns: TestNamespace;
  let admin: KubeClient;
  const running: RunningController[] = [];
  let dir: string;

  beforeAll(async () => {
    cluster = await testCluster();
    admin = new KubeClient(cluster.kubeConfig);
    await installCrds(admin);
    ns = await createTestNamespace(cluster, 'e2enats');
    const nats = await startNats();
    dir = mkdtempSync(join(tmpdir(), 'e2e-nats-'));
    writeFileSync(join(dir, 'token'), nats.token);
    const bus = { EEVEE_EVENTS_NATS_URL: nats.url, EEVEE_EVENTS_NATS_TOKEN_FILE: join(dir, 'token') };
    running.push(
      await startController('module-controller', cluster, ns.name, bus),
      await startController('ipc-controller', cluster, ns.name, bus),
    );
    await nats.stop();
  });
  afterAll(async () => {
    await Promise.all(running.map((c) => c.stop()));
    await ns?.delete();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps converging from the watches alone', async () => {
    await admin.create(RESOURCES.BotModule, module(ns.name, 'router', { ipcConfig: 'bot' }));
    await eventually(
      'router waiting for its IpcConfig',
      () => admin.get<WithStatus>(RESOURCES.BotModule, ns.name, 'router'),
      (m) => condition(m, 'IpcReady')?.status === 'False',
    );
    await admin.create(RESOURCES.IpcConfig, {
      apiVersion: 'eevee.bot/v1',
      kind: 'IpcConfig',
      metadata: { name: 'bot', namespace: ns.name },
      spec: { nats: { token: { secretKeyRef: { secret: { name: 'bot-token' } } } } },
    });
    await eventually(
      'router Ready once the IpcConfig is',
      () => admin.get<WithStatus>(RESOURCES.BotModule, ns.name, 'router'),
      (m) => m.status?.phase === 'Ready' && condition(m, 'IpcReady')?.status === 'True',
    );
    for (const c of running) {
      expect(c.process.exitCode, c.name).toBeNull();
      expect((await fetch(`http://127.0.0.1:${c.port}/healthz`)).status, c.name).toBe(200);
    }
  });
});

describe('S3 down', () => {
  let cluster: Cluster;
  let ns: TestNamespace;
  let admin: KubeClient;
  let s3: S3Server;
  let backupController: RunningController;
  let data: string;

  beforeAll(async () => {
    cluster = await testCluster();
    admin = new KubeClient(cluster.kubeConfig);
    await installCrds(admin);
    ns = await createTestNamespace(cluster, 'e2es3');
    s3 = await startS3WithBucket('bot-backups');
    data = mkdtempSync(join(tmpdir(), 'e2e-s3-'));
    writeFileSync(join(data, 'seen.db'), 'some rows\n');
    backupController = await startController('backup-controller', cluster, ns.name);
  });
  afterAll(async () => {
    await backupController?.stop();
    await ns?.delete();
    await s3?.stop();
    rmSync(data, { recursive: true, force: true });
  });

  type Schedule = KubeObject & {
    status?: { modules?: { name: string; lastFailureMessage?: string; lastBackupId?: string }[] };
  };
  const store = () => admin.get<WithStatus>(RESOURCES.S3Store, ns.name, 'offsite');
  const seenStatus = async () =>
    (await admin.get<Schedule>(RESOURCES.BackupSchedule, ns.name, 'nightly')).status?.modules?.find(
      (m) => m.name === 'seen',
    );
  /** A spec change makes the controller test the store again at once (it also does every testIntervalSeconds). */
  const retest = (seconds: number) =>
    admin.mergePatch(
      RESOURCES.S3Store,
      ns.name,
      'offsite',
      { spec: { testIntervalSeconds: seconds } },
      'e2e',
    );

  /** One run of the module's backup CronJob: the real runner with its Job's environment, its outcome given to a Job. */
  async function backupRun(job: string): Promise<RunOutcome> {
    const cronJob = await admin.get<CronJob>(RESOURCES.CronJob, ns.name, 'nightly-seen-backup');
    const outcome = await runAsJob(
      cronJob.spec.jobTemplate.spec.template,
      { s3: { id: s3.accessKeyId, key: s3.secretAccessKey } },
      data,
      join(tmpdir(), `e2e-s3-result-${process.pid}`),
    );
    await admin.create(RESOURCES.Job, replayJob(cronJob, job, outcome));
    return outcome;
  }

  it('fails a backup with a clear status, and succeeds on the next run once S3 is back', async () => {
    await createS3Store(admin, ns.name, s3, { name: 'offsite', bucket: 'bot-backups', prefix: 'bots/' });
    await createNightlySchedule(admin, ns.name, 'offsite');
    const claim = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };
    await admin.create(RESOURCES.BotModule, {
      apiVersion: 'eevee.bot/v1',
      kind: 'BotModule',
      metadata: { name: 'seen', namespace: ns.name },
      spec: {
        moduleName: 'seen',
        image: 'ghcr.io/eeveebot/seen:1.6.4',
        persistentVolumeClaim: claim,
        backupSchedule: { name: 'nightly' },
      },
    });
    // The module's volume, as the module-controller makes it: the backup pod mounts it.
    await admin.create(RESOURCES.PersistentVolumeClaim, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'eevee-seen-module-pvc', namespace: ns.name },
      spec: claim,
    });
    await eventually('the store Ready', store, (s) => condition(s, 'Ready')?.status === 'True');
    await eventually('the backup CronJob', seenStatus, (m) => m !== undefined);

    await s3.down();
    const failed = await backupRun('seen-backup-1');
    expect(failed.exitCode).not.toBe(0);
    expect(failed.result).toMatchObject({ ok: false });
    expect(failed.result.error).toMatch(/ECONNREFUSED|connect|unreachable|refused/i);
    const reported = await eventually('the schedule to report the failure', seenStatus, (m) =>
      Boolean(m?.lastFailureMessage),
    );
    expect(reported?.lastFailureMessage).toContain(failed.result.error);
    await retest(60);
    const down = await eventually(
      'the store not Ready',
      store,
      (s) => condition(s, 'Ready')?.status === 'False',
    );
    expect(condition(down, 'Ready')?.message).toMatch(/ECONNREFUSED|connect|unreachable|refused|timed out/i);

    await s3.up();
    // Job creation times have whole seconds: the next run must be the later one.
    await new Promise((r) => setTimeout(r, 1_100));
    const next = await backupRun('seen-backup-2');
    expect(next).toMatchObject({ exitCode: 0, result: { ok: true } });
    const recovered = await eventually('the schedule to report the backup', seenStatus, (m) =>
      Boolean(m?.lastBackupId && !m.lastFailureMessage),
    );
    expect(recovered?.lastBackupId).toBe(next.result.backupId);
    await retest(90);
    await eventually('the store Ready again', store, (s) => condition(s, 'Ready')?.status === 'True');
  }, 180_000);
});
