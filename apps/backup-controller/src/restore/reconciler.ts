// Reconciles one BackupRestore. Read top to bottom: a finished attempt stays finished (until spec.retry is
// bumped); an attempt whose Job exists follows that Job; otherwise the prerequisites are checked (module, store,
// backup — retried with backoff while missing), the module must have stopped (the module-controller holds it at
// 0 replicas while this restore is not finished), and only then the Job starts. The backup-controller never
// writes the module's Deployment.
import { ANNOTATIONS, LABELS, formatZodError, labelValue, moduleObjectNames } from '@eevee/crds';
import type { BackupRestore, BackupRestorePhase, EventName } from '@eevee/crds';
import { botModuleSchema } from '@eevee/crds';
import { RESOURCES, applyObject, applyStatus, now, readyCondition, setCondition } from '@eevee/runtime';
import type { ControllerContext, KubeObject, ReconcileResult, Request } from '@eevee/runtime';
import {
  MODULE_PODS,
  MODULE_POD_SELECTOR,
  RUNNER_LABEL,
  RUNNER_PODS,
  RUNNER_POD_SELECTOR,
  terminationMessage,
} from '../pods.ts';
import { parseRunnerResult } from '../runner-env.ts';
import { newestBackup, storeReadiness } from '../store-access.ts';
import { desiredRestoreJob, restoreJobName } from './job.ts';

type Ctx = ControllerContext<BackupRestore>;
type Status = NonNullable<BackupRestore['status']>;

/** Prerequisites that are missing are looked at again after this long (and on any change of what is watched). */
const RETRY_MS = 30_000;

interface JobObject extends KubeObject {
  status?: {
    startTime?: string;
    completionTime?: string;
    conditions?: { type: string; status: string; message?: string }[];
  };
}

export function reconcileBackupRestore() {
  return async ({ namespace, name }: Request, ctx: Ctx): Promise<ReconcileResult | void> => {
    const owner = ctx.primary.get(namespace, name);
    if (!owner || owner.metadata.deletionTimestamp) return;
    const parsed = ctx.primary.getTyped(namespace, name);
    if (!parsed?.success) {
      const message = parsed ? formatZodError(parsed.error).replace(/\n/g, '; ') : 'not in cache';
      await report(ctx, owner, { phase: 'Failed', reason: 'InvalidSpec', message });
      return;
    }
    const restore = parsed.data;
    const status = restore.status;
    if (
      (status?.phase === 'Succeeded' || status?.phase === 'Failed') &&
      status.observedRetry === restore.spec.retry
    )
      return;

    const jobName = restoreJobName(name, restore.spec.retry);
    const job = ctx.cache(RESOURCES.Job).get(namespace, jobName);
    if (job) return followJob(ctx, owner, restore, job);
    return startWhenReady(ctx, owner, restore, jobName);
  };
}

async function startWhenReady(
  ctx: Ctx,
  owner: KubeObject,
  restore: BackupRestore,
  jobName: string,
): Promise<ReconcileResult | void> {
  const ns = owner.metadata.namespace ?? '';
  const moduleName = restore.spec.botModule.name;
  const rawModule = ctx.cache(RESOURCES.BotModule).get(ns, moduleName);
  const module = rawModule ? botModuleSchema.safeParse(rawModule) : undefined;
  if (!module?.success) {
    await report(ctx, owner, {
      phase: 'BotModuleNotFound',
      reason: 'BotModuleNotFound',
      message: `BotModule "${moduleName}" ${module ? 'is invalid' : 'not found'}`,
    });
    return { requeueAfterMs: RETRY_MS };
  }
  const store = storeReadiness(ctx, ns, restore.spec.s3Store.name);
  if (!store.ok) {
    await report(ctx, owner, { phase: 'Pending', reason: store.reason, message: store.message });
    return { requeueAfterMs: RETRY_MS };
  }
  let backupId = restore.spec.backupId ?? restore.status?.backupId;
  if (!backupId) {
    const found = await newestBackup(ctx, ns, restore.spec.s3Store.name, module.data.spec.moduleName);
    if (!found.ok) {
      await report(ctx, owner, { phase: 'Pending', reason: found.reason, message: found.message });
      return { requeueAfterMs: RETRY_MS };
    }
    backupId = found.backup?.id;
    if (!backupId) {
      await report(ctx, owner, {
        phase: 'NoBackupsFound',
        reason: 'NoBackupsFound',
        message: `No backups found for module "${module.data.spec.moduleName}" in s3store "${restore.spec.s3Store.name}"`,
      });
      return { requeueAfterMs: RETRY_MS * 2 };
    }
  }
  const running = ctx
    .cache(MODULE_PODS, MODULE_POD_SELECTOR)
    .list(ns)
    .filter(
      (p) =>
        p.metadata.labels?.[LABELS.module] === labelValue(moduleName) &&
        p.metadata.labels[RUNNER_LABEL] === undefined && // our own backup and restore pods are not the module
        !['Succeeded', 'Failed'].includes(
          (p as KubeObject & { status?: { phase?: string } }).status?.phase ?? '',
        ),
    ).length;
  if (running > 0) {
    await report(ctx, owner, {
      phase: 'Pending',
      reason: 'WaitingForModuleToStop',
      message: `Waiting for module "${moduleName}" to stop (${running} pod(s) left) before restoring backup ${backupId}`,
      backupId,
    });
    return;
  }
  if (!ctx.cache(RESOURCES.PersistentVolumeClaim).get(ns, moduleObjectNames(moduleName).pvc)) {
    await report(ctx, owner, {
      phase: 'Pending',
      reason: 'VolumeNotFound',
      message: `PersistentVolumeClaim "${moduleObjectNames(moduleName).pvc}" of module "${moduleName}" not found`,
      backupId,
    });
    return { requeueAfterMs: RETRY_MS };
  }
  const desired = desiredRestoreJob({
    owner,
    restore,
    module: module.data,
    store: store.store,
    backupId,
    fieldManager: ctx.fieldManager,
  });
  await applyObject(ctx.client, RESOURCES.Job, desired, { fieldManager: ctx.fieldManager });
  await report(ctx, owner, {
    phase: 'Running',
    reason: 'Running',
    message: `Restore Job ${jobName} started for backup ${backupId}`,
    backupId,
    jobName,
    startTime: now(),
  });
  await ctx.events.record(
    owner,
    'Normal',
    'RestoreStarted',
    `Restoring backup ${backupId} with Job ${jobName}`,
  );
}

async function followJob(ctx: Ctx, owner: KubeObject, restore: BackupRestore, job: JobObject): Promise<void> {
  const done = (type: string) => job.status?.conditions?.some((c) => c.type === type && c.status === 'True');
  const jobName = job.metadata.name;
  const backupId = restore.status?.backupId;
  if (done('Complete')) {
    await markBootstrapped(ctx, owner.metadata.namespace ?? '', restore.spec.botModule.name);
    if (
      await report(ctx, owner, {
        phase: 'Succeeded',
        reason: 'Succeeded',
        message: `Restore Job ${jobName} succeeded`,
        ...(backupId ? { backupId } : {}),
        jobName,
        completionTime: job.status?.completionTime ?? now(),
      })
    )
      await ctx.events.record(
        owner,
        'Normal',
        'RestoreSucceeded',
        `Restored backup ${backupId ?? ''} (${jobName})`,
      );
    return;
  }
  if (done('Failed')) {
    const result = parseRunnerResult(
      terminationMessage(ctx.cache(RUNNER_PODS, RUNNER_POD_SELECTOR).list(owner.metadata.namespace), jobName),
    );
    const why =
      result?.error ?? job.status?.conditions?.find((c) => c.type === 'Failed')?.message ?? 'unknown';
    const message = `Restore Job ${jobName} failed: ${why}. Live data was left as it was. Bump spec.retry to try again.`;
    if (
      await report(ctx, owner, { phase: 'Failed', reason: 'Failed', message, jobName, completionTime: now() })
    )
      await ctx.events.record(owner, 'Warning', 'RestoreFailed', message);
    return;
  }
  await report(ctx, owner, {
    phase: 'Running',
    reason: 'Running',
    message: `Restore Job ${jobName} in progress`,
    jobName,
    ...(job.status?.startTime ? { startTime: job.status.startTime } : {}),
  });
}

/** The module's volume now holds restored data: a bootstrap must never run over it again. */
async function markBootstrapped(ctx: Ctx, namespace: string, module: string): Promise<void> {
  const pvc = moduleObjectNames(module).pvc;
  const cached = ctx.cache(RESOURCES.PersistentVolumeClaim).get(namespace, pvc);
  if (cached?.metadata.annotations?.[ANNOTATIONS.bootstrapped] === 'true') return;
  await ctx.client.mergePatch(
    RESOURCES.PersistentVolumeClaim,
    namespace,
    pvc,
    { metadata: { annotations: { [ANNOTATIONS.bootstrapped]: 'true' } } },
    ctx.fieldManager,
  );
}

const EVENT_OF: Partial<Record<BackupRestorePhase, EventName>> = {
  Running: 'restore.started',
  Succeeded: 'restore.succeeded',
  Failed: 'restore.failed',
};

/** Writes the status (only when it changed) and announces phase changes on the event bus. */
async function report(
  ctx: Ctx,
  owner: KubeObject,
  what: { phase: BackupRestorePhase; reason: string; message: string } & Partial<
    Pick<Status, 'backupId' | 'jobName' | 'startTime' | 'completionTime'>
  >,
): Promise<boolean> {
  const current = owner.status as Status | undefined;
  const generation = owner.metadata.generation ?? 0;
  const retry = (owner as KubeObject & { spec?: { retry?: number } }).spec?.retry ?? 0;
  const ok =
    what.phase === 'Succeeded'
      ? true
      : what.phase === 'Running' || what.phase === 'Pending'
        ? 'Unknown'
        : false;
  const attempt = current?.observedRetry === retry ? current : undefined;
  const status: Status = {
    observedGeneration: generation,
    observedRetry: retry,
    phase: what.phase,
    conditions: setCondition(current?.conditions, readyCondition(ok, what.reason, what.message, generation)),
    ...pick('backupId', what.backupId, attempt?.backupId),
    ...pick('jobName', what.jobName, attempt?.jobName),
    ...pick('startTime', what.startTime, attempt?.startTime),
    ...pick('completionTime', what.completionTime, attempt?.completionTime),
  };
  const written = await applyStatus(ctx.client, RESOURCES.BackupRestore, owner, status, ctx.fieldManager);
  const event = EVENT_OF[what.phase];
  if (written && event && current?.phase !== what.phase)
    ctx.bus?.announce('backuprestore', owner, event, { reason: what.reason, message: what.message });
  return written;
}

/** A status field: the new value, else the value this attempt already recorded. */
function pick<K extends string>(
  key: K,
  value: string | undefined,
  kept: string | undefined,
): Partial<Record<K, string>> {
  const v = value ?? kept;
  return v === undefined ? {} : ({ [key]: v } as Partial<Record<K, string>>);
}
