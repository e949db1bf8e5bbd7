// BackupSchedules on the real cluster: one CronJob per module that opts in, removed when it opts out (also the
// last one), suspend, and per-module outcomes from the Jobs (kwok completes them, or fails those of the failing
// test image with a runner-style result).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Container } from '@kubernetes/client-node';
import { RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { FAILING_JOB_IMAGE, eventually } from '@eevee/testenv';
import { applyStore, ready, startBackupController, waitFor } from './harness.ts';
import type { Harness, Obj } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startBackupController('schedule');
  await applyStore(h, 'store');
  await waitFor(h, RESOURCES.S3Store, 'store', 'Ready', (s) => ready(s)?.status === 'True');
});
afterAll(async () => {
  await h?.stop();
});

const IMAGE = 'ghcr.io/eeveebot/backup-runner:1.0.0';

const schedule = (spec: Record<string, unknown> = {}) =>
  h.admin.apply(
    RESOURCES.BackupSchedule,
    {
      apiVersion: 'eevee.bot/v1',
      kind: 'BackupSchedule',
      metadata: { name: 'nightly', namespace: h.ns.name },
      spec: {
        schedule: '30 3 * * *',
        s3Store: { name: 'store' },
        image: IMAGE,
        retention: { keepLast: 5 },
        ...spec,
      },
    },
    'test',
  );

const module = (name: string, spec: Record<string, unknown>) =>
  h.admin.apply(
    RESOURCES.BotModule,
    {
      apiVersion: 'eevee.bot/v1',
      kind: 'BotModule',
      metadata: { name, namespace: h.ns.name },
      spec: { moduleName: name, image: 'ghcr.io/eeveebot/seen:1.0.0', ...spec },
    },
    'test',
  );
const volume = {
  persistentVolumeClaim: { accessModes: ['ReadWriteOnce'] },
  volumeMountPath: '/var/lib/seen',
};

type CronJob = KubeObject & {
  spec: {
    schedule: string;
    suspend: boolean;
    concurrencyPolicy: string;
    jobTemplate: {
      spec: { template: { spec: { containers: V1Container[]; volumes: Record<string, unknown>[] } } };
    };
  };
};
const cronJobs = async () =>
  (await h.admin.list<CronJob>(RESOURCES.CronJob, { namespace: h.ns.name })).items
    .map((c) => c.metadata.name)
    .sort();
const status = (what: string, done: (s: Obj) => boolean) =>
  waitFor(
    h,
    RESOURCES.BackupSchedule,
    'nightly',
    what,
    (s) => s.status?.['observedGeneration'] === s.metadata.generation && done(s),
  );

describe('a BackupSchedule', () => {
  it('has nothing to do until a module opts in', async () => {
    await schedule();
    const s = await status('NoTargets', (o) => ready(o)?.reason === 'NoTargets');
    expect(ready(s)?.message).toBe('No botmodules reference this BackupSchedule');
  });

  it('keeps one CronJob per module with a volume, reading it read-only, one run at a time', async () => {
    await module('seen', { ...volume, backupSchedule: { name: 'nightly' } });
    await module('quotes', { ...volume, backupSchedule: { name: 'nightly' } });
    await module('echo', { backupSchedule: { name: 'nightly' } }); // no volume
    const s = await status('two CronJobs', (o) => o.status?.['moduleCount'] === 2);
    expect(ready(s)).toMatchObject({ status: 'True', reason: 'CronJobsCreated' });
    expect(ready(s)?.message).toBe(
      'CronJobs created for 2 botmodule(s); module "echo" has no persistentVolumeClaim to back up',
    );
    expect(await cronJobs()).toEqual(['nightly-quotes-backup', 'nightly-seen-backup']);
    const cron = await h.admin.get<CronJob>(RESOURCES.CronJob, h.ns.name, 'nightly-seen-backup');
    expect(cron.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'BackupSchedule', name: 'nightly' });
    expect(cron.spec).toMatchObject({ schedule: '30 3 * * *', suspend: false, concurrencyPolicy: 'Forbid' });
    const pod = cron.spec.jobTemplate.spec.template.spec;
    const container = pod.containers[0]!;
    expect(container.command).toEqual(['/usr/local/bin/backup.sh']);
    expect(container.volumeMounts).toEqual([
      { name: 'module-data', mountPath: '/var/lib/seen', readOnly: true },
    ]);
    expect(pod.volumes[0]).toMatchObject({
      persistentVolumeClaim: { claimName: 'eevee-seen-module-pvc', readOnly: true },
    });
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({
      BACKUP_NAMESPACE: h.ns.name,
      BACKUP_MODULE: 'seen',
      BACKUP_PVC_PATH: '/var/lib/seen',
      RETENTION_KEEP_LAST: '5',
      S3_ACCESS_ID: { secretKeyRef: { name: 's3-creds', key: 'id' } },
    });
    // Before its first success, a module's backup is due one run after its CronJob appeared (03:30 UTC) plus
    // the run's deadline (1 h): what the EeveeBackupTooOld alert compares with.
    const due = await status('backup due times', (o) =>
      ((o.status?.['modules'] ?? []) as { backupDueTime?: string }[]).every((m) => m.backupDueTime),
    );
    for (const m of due.status?.['modules'] as { backupDueTime: string }[]) {
      expect(m.backupDueTime).toMatch(/T04:30:00Z$/);
      const inHours = (Date.parse(m.backupDueTime) - Date.now()) / 3_600_000;
      expect(inHours).toBeGreaterThan(0);
      expect(inHours).toBeLessThanOrEqual(25);
    }
  });

  it('suspends its CronJobs with the schedule', async () => {
    await schedule({ suspend: true, timeZone: 'Europe/Berlin' });
    await eventually(
      'the CronJob to be suspended',
      () =>
        h.admin.get<CronJob & { spec: { timeZone?: string } }>(
          RESOURCES.CronJob,
          h.ns.name,
          'nightly-seen-backup',
        ),
      (c) => c.spec.suspend && c.spec.timeZone === 'Europe/Berlin',
    );
    // Suspended: no backup is due, so none is overdue.
    await status('no due times while suspended', (o) =>
      ((o.status?.['modules'] ?? []) as { backupDueTime?: string }[]).every((m) => !m.backupDueTime),
    );
    await schedule();
  });

  it('reports a failed backup and clears it when a later one succeeds', async () => {
    // The module's volume, as the module-controller creates it: the Job's pod mounts it.
    await h.admin.apply(
      RESOURCES.PersistentVolumeClaim,
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'eevee-seen-module-pvc', namespace: h.ns.name },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
      'test',
    );
    await schedule({ image: FAILING_JOB_IMAGE });
    await eventually(
      'the failing image in the CronJob',
      () => h.admin.get<CronJob>(RESOURCES.CronJob, h.ns.name, 'nightly-seen-backup'),
      (c) => c.spec.jobTemplate.spec.template.spec.containers[0]!.image === FAILING_JOB_IMAGE,
    );
    await h.cluster.kubectl([
      'create',
      'job',
      '-n',
      h.ns.name,
      '--from=cronjob/nightly-seen-backup',
      'seen-manual-1',
    ]);
    const failed = await status('a failure', (o) =>
      ((o.status?.['modules'] ?? []) as { name: string; lastFailureMessage?: string }[]).some(
        (m) => m.name === 'seen' && m.lastFailureMessage !== undefined,
      ),
    );
    const seen = (failed.status?.['modules'] as { name: string; lastFailureMessage?: string }[]).find(
      (m) => m.name === 'seen',
    );
    expect(seen?.lastFailureMessage).toBe('Job seen-manual-1: simulated failure (kwok pod-fail stage)');

    await schedule();
    await eventually(
      'the runner image back in the CronJob',
      () => h.admin.get<CronJob>(RESOURCES.CronJob, h.ns.name, 'nightly-seen-backup'),
      (c) => c.spec.jobTemplate.spec.template.spec.containers[0]!.image === IMAGE,
    );
    await h.cluster.kubectl([
      'create',
      'job',
      '-n',
      h.ns.name,
      '--from=cronjob/nightly-seen-backup',
      'seen-manual-2',
    ]);
    await status('the failure cleared', (o) =>
      ((o.status?.['modules'] ?? []) as { name: string; lastFailureMessage?: string }[]).every(
        (m) => m.lastFailureMessage === undefined,
      ),
    );
  });

  it('removes the CronJob of a module that opts out, also the last one', async () => {
    await module('quotes', volume);
    await eventually('one CronJob left', cronJobs, (names) => names.join() === 'nightly-seen-backup');
    await module('seen', volume);
    await eventually('no CronJob left', cronJobs, (names) => names.length === 0);
    await status('NoTargets', (o) => ready(o)?.reason === 'NoTargets');
  });
});
