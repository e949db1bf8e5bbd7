// The controllers when what they depend on fails:
// - the kube-apiserver restarts mid-run (on a cluster of this file's own, so no other test is disturbed): the
//   controllers recover, converge, and miss none of the changes made right after it came back;
// - the NATS event bus is down: the controllers keep converging from their watches alone;
// - S3 is down: a backup fails with a clear result, the S3Store reports it, and both recover when S3 is back.
//   kwok completes Jobs without running them, so the backup-runner program is run here directly, with the
//   environment its Job would give it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { s3Client } from '@eevee/backups';
import { KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import {
  createTestNamespace,
  eventually,
  startCluster,
  startNats,
  startS3,
  testCluster,
} from '@eevee/testenv';
import type { Cluster, S3Server, TestNamespace } from '@eevee/testenv';
import { installCrds, startController } from '@eevee/stack';
import type { RunningController } from '@eevee/stack';

const RUNNER = join(import.meta.dirname, '..', '..', 'apps', 'backup-runner', 'src', 'main.ts');
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
    ns = await createTestNamespace(cluster, 'e2es3');
    s3 = await startS3();
    await s3Client(
      { endpoint: s3.endpoint, region: s3.region, pathStyle: true },
      { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    ).send(new CreateBucketCommand({ Bucket: 'bot-backups' }));
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

  /** backup-runner backup, as its Job runs it: exit code and the one-line JSON result. */
  async function runBackup(): Promise<{
    code: number;
    result: { ok: boolean; error?: string; backupId?: string };
  }> {
    const env = {
      ...process.env,
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: 'bot-backups',
      S3_PREFIX: 'bots/',
      S3_REGION: s3.region,
      S3_PATH_STYLE: 'true',
      S3_ACCESS_ID: s3.accessKeyId,
      S3_SECRET_KEY: s3.secretAccessKey,
      BACKUP_NAMESPACE: ns.name,
      BACKUP_MODULE: 'seen',
      BACKUP_PVC_PATH: data,
      RESULT_FILE: join(tmpdir(), `e2e-s3-result-${process.pid}`),
    };
    const outcome = await promisify(execFile)(process.execPath, [RUNNER, 'backup'], { env }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (err: { code?: number; stdout?: string }) => ({ code: err.code ?? -1, stdout: err.stdout ?? '' }),
    );
    const last = outcome.stdout.trim().split('\n').pop() ?? '{}';
    return { code: outcome.code, result: JSON.parse(last) as { ok: boolean; error?: string } };
  }

  const store = () =>
    admin.get<WithStatus & { spec: Record<string, unknown> }>(RESOURCES.S3Store, ns.name, 'offsite');
  /** A spec change makes the controller test the store again at once (it also does every testIntervalSeconds). */
  const retest = (seconds: number) =>
    admin.mergePatch(
      RESOURCES.S3Store,
      ns.name,
      'offsite',
      { spec: { testIntervalSeconds: seconds } },
      'e2e',
    );

  it('fails a backup with a clear result and status, and succeeds on the next run once S3 is back', async () => {
    await admin.create(RESOURCES.Secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's3', namespace: ns.name },
      stringData: { id: s3.accessKeyId, key: s3.secretAccessKey },
    });
    await admin.create(RESOURCES.S3Store, {
      apiVersion: 'eevee.bot/v1',
      kind: 'S3Store',
      metadata: { name: 'offsite', namespace: ns.name },
      spec: {
        endpoint: s3.endpoint,
        bucket: 'bot-backups',
        prefix: 'bots/',
        region: s3.region,
        pathStyle: true,
        accessId: { secretKeyRef: { secret: { name: 's3' }, key: 'id' } },
        accessKey: { secretKeyRef: { secret: { name: 's3' }, key: 'key' } },
      },
    });
    await eventually('the store Ready', store, (s) => condition(s, 'Ready')?.status === 'True');

    await s3.down();
    const failed = await runBackup();
    expect(failed.code).not.toBe(0);
    expect(failed.result.ok).toBe(false);
    expect(failed.result.error).toMatch(/ECONNREFUSED|connect|unreachable|refused/i);
    await retest(60);
    const down = await eventually(
      'the store not Ready',
      store,
      (s) => condition(s, 'Ready')?.status === 'False',
    );
    expect(condition(down, 'Ready')?.message).toMatch(/ECONNREFUSED|connect|unreachable|refused|timed out/i);

    await s3.up();
    const next = await runBackup();
    expect(next).toMatchObject({ code: 0, result: { ok: true } });
    await retest(90);
    await eventually('the store Ready again', store, (s) => condition(s, 'Ready')?.status === 'True');
  }, 180_000);
});
