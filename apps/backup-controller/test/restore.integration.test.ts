// BackupRestore and bootstrap on the real cluster (kwok completes Job pods, or fails those of the failing test
// image) against the real S3 server. The module-controller is not running here: the test plays its part where
// the flow needs it (the module's pod goes away once the restore asks for it; WaitingForBackup is its status).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Container } from '@kubernetes/client-node';
import { RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { eventsOf } from '@eevee/runtime/testing';
import { FAILING_JOB_IMAGE, eventually } from '@eevee/testenv';
import { applyStore, putBackup, ready, startBackupController, waitFor } from './harness.ts';
import type { Harness, Obj } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startBackupController('restore');
  await applyStore(h, 'store');
  await waitFor(h, RESOURCES.S3Store, 'store', 'Ready', (s) => ready(s)?.status === 'True');
});
afterAll(async () => {
  await h?.stop();
});

const IMAGE = 'ghcr.io/eeveebot/backup-runner:1.0.0';

async function moduleWithVolume(name: string, spec: Record<string, unknown> = {}): Promise<void> {
  await h.admin.apply(
    RESOURCES.BotModule,
    {
      apiVersion: 'eevee.bot/v1',
      kind: 'BotModule',
      metadata: { name, namespace: h.ns.name },
      spec: {
        moduleName: `${name}-mod`,
        image: 'ghcr.io/eeveebot/seen:1.0.0',
        persistentVolumeClaim: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
        },
        ...spec,
      },
    },
    'test',
  );
  await h.admin.apply(
    RESOURCES.PersistentVolumeClaim,
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: `eevee-${name}-module-pvc`, namespace: h.ns.name },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
    'test',
  );
}

/** A running pod of the module, as its Deployment would have. */
async function modulePod(module: string): Promise<void> {
  await h.admin.create(RESOURCES.Pod, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${module}-pod`,
      namespace: h.ns.name,
      labels: { app: 'eevee.bot', 'eevee.bot/module': module },
    },
    spec: { containers: [{ name: 'module', image: 'ghcr.io/eeveebot/seen:1.0.0' }] },
  });
}

const restore = (name: string, spec: Record<string, unknown>) =>
  h.admin.apply(
    RESOURCES.BackupRestore,
    {
      apiVersion: 'eevee.bot/v1',
      kind: 'BackupRestore',
      metadata: { name, namespace: h.ns.name },
      spec: { s3Store: { name: 'store' }, image: IMAGE, ...spec },
    },
    'test',
  );
const phaseOf = (o: Obj) => o.status?.['phase'];
const waitForPhase = (name: string, phase: string) =>
  waitFor(h, RESOURCES.BackupRestore, name, `phase ${phase}`, (r) => phaseOf(r) === phase, 60_000);
const pvcAnnotations = async (module: string) =>
  (await h.admin.get(RESOURCES.PersistentVolumeClaim, h.ns.name, `eevee-${module}-module-pvc`)).metadata
    .annotations ?? {};

describe('a BackupRestore', () => {
  it('waits for the module to stop, restores the latest backup with a Job, and marks the volume', async () => {
    await moduleWithVolume('seen');
    const older = await putBackup(h, 'seen-mod');
    await new Promise((r) => setTimeout(r, 1_100));
    const latest = await putBackup(h, 'seen-mod');
    await modulePod('seen');
    await eventually(
      'the pod to run',
      () => h.admin.get<Obj>(RESOURCES.Pod, h.ns.name, 'seen-pod'),
      (p) => p.status?.['phase'] === 'Running',
    );

    await restore('r1', { botModule: { name: 'seen' }, cleanRestore: true });
    const waiting = await waitFor(
      h,
      RESOURCES.BackupRestore,
      'r1',
      'waiting for the module',
      (r) => ready(r)?.reason === 'WaitingForModuleToStop',
    );
    expect(phaseOf(waiting)).toBe('Pending');
    expect(waiting.status?.['backupId']).toBe(latest);
    expect(await h.admin.list(RESOURCES.Job, { namespace: h.ns.name })).toMatchObject({ items: [] });

    // The module-controller scales the module to 0 while the restore is not finished; here the pod just goes.
    await h.admin.delete(RESOURCES.Pod, h.ns.name, 'seen-pod');
    const done = await waitForPhase('r1', 'Succeeded');
    expect(done.status).toMatchObject({ backupId: latest, jobName: 'r1-restore', observedRetry: 0 });
    expect(ready(done)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect((await pvcAnnotations('seen'))['eevee.bot/bootstrapped']).toBe('true');

    const job = await h.admin.get<
      KubeObject & { spec: { template: { spec: { containers: V1Container[] } } } }
    >(RESOURCES.Job, h.ns.name, 'r1-restore');
    const container = job.spec.template.spec.containers[0]!;
    expect(container.command).toEqual(['/usr/local/bin/restore.sh']);
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({
      S3_ENDPOINT: h.s3.endpoint,
      S3_BUCKET: h.bucket,
      S3_PATH_STYLE: 'true',
      RESTORE_NAMESPACE: h.ns.name,
      RESTORE_MODULE: 'seen-mod',
      RESTORE_BACKUP_ID: latest,
      RESTORE_CLEAN: 'true',
      BACKUP_PVC_PATH: '/data',
      S3_SECRET_KEY: { secretKeyRef: { name: 's3-creds', key: 'key' } },
    });
    expect(JSON.stringify(job)).not.toContain(h.s3.secretAccessKey);
    expect(older).not.toBe(latest);
    expect(await eventsOf(h.admin, h.ns.name, 'r1')).toContainEqual(
      expect.stringMatching(/^RestoreSucceeded: /),
    );

    // Finished is finished: nothing is written on later reconciles.
    const writes = h.manager.client.writes;
    for (const c of h.manager.controllers) c.enqueue(`${h.ns.name}/r1`);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(h.manager.client.writes).toBe(writes);
  });

  it('retries missing prerequisites, and a failed Job is final until spec.retry is bumped', async () => {
    await restore('r2', { botModule: { name: 'later' }, image: FAILING_JOB_IMAGE });
    await waitForPhase('r2', 'BotModuleNotFound');
    await moduleWithVolume('later');
    // The module appears: the BotModule watch wakes the restore, which now finds no backup.
    await waitForPhase('r2', 'NoBackupsFound');
    const id = await putBackup(h, 'later-mod');
    await restore('r2', { botModule: { name: 'later' }, image: FAILING_JOB_IMAGE, backupId: id });
    const failed = await waitForPhase('r2', 'Failed');
    expect(ready(failed)?.message).toBe(
      'Restore Job r2-restore failed: simulated failure (kwok pod-fail stage). Live data was left as it was. Bump spec.retry to try again.',
    );
    expect((await pvcAnnotations('later'))['eevee.bot/bootstrapped']).toBeUndefined();

    await restore('r2', { botModule: { name: 'later' }, image: IMAGE, backupId: id, retry: 1 });
    const retried = await waitForPhase('r2', 'Succeeded');
    expect(retried.status).toMatchObject({ jobName: 'r2-restore-1', observedRetry: 1, backupId: id });
  });
});

describe('bootstrap from backup', () => {
  it('restores the newest backup into a waiting module, and says so when there is none yet', async () => {
    await moduleWithVolume('fresh', { bootstrapFromBackup: { s3Store: { name: 'store' }, image: IMAGE } });
    // What the module-controller reports for a module whose volume has not been bootstrapped.
    await h.admin.apply(
      RESOURCES.BotModule,
      {
        apiVersion: 'eevee.bot/v1',
        kind: 'BotModule',
        metadata: { name: 'fresh', namespace: h.ns.name },
        status: { phase: 'WaitingForBackup' },
      },
      'test-module-controller',
      { subresource: 'status' },
    );
    await eventually(
      'the no-backup Event',
      () => eventsOf(h.admin, h.ns.name, 'fresh'),
      (events) => events.some((e) => e.startsWith('NoBackupFound: No backup of module "fresh-mod"')),
    );
    const id = await putBackup(h, 'fresh-mod');
    // A change of the store (or the 5-minute look) finds it; here the test nudges the bootstrap.
    h.manager.controllers.find((c) => c.definition.name === 'bootstrap')!.enqueue(`${h.ns.name}/fresh`);
    const name = `fresh-bootstrap-${id.slice(0, 8)}`;
    const done = await waitForPhase(name, 'Succeeded');
    expect(done.spec).toMatchObject({ botModule: { name: 'fresh' }, backupId: id, image: IMAGE });
    expect(done.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'BotModule', name: 'fresh' });
    expect((await pvcAnnotations('fresh'))['eevee.bot/bootstrapped']).toBe('true');
  });
});
