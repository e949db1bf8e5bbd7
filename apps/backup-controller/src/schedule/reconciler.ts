// Reconciles one BackupSchedule. Read top to bottom: validate, find the modules that opt in, apply one CronJob
// per module (removing those of modules that no longer opt in, also when none remain), report per module what
// its backups did (from the CronJob, its Jobs and the runner's result).
import { botModuleSchema, formatZodError } from '@eevee/crds';
import type { BackupSchedule, BotModule, EventName } from '@eevee/crds';
import { RESOURCES, applyStatus, ensureChild, readyCondition, setCondition } from '@eevee/runtime';
import type { ControllerContext, KubeObject, Request } from '@eevee/runtime';
import { RUNNER_PODS, RUNNER_POD_SELECTOR, terminationMessage } from '../pods.ts';
import { RUNNER_DEADLINE_SECONDS, parseRunnerResult } from '../runner-env.ts';
import { cachedStore, storeReadiness } from '../store-access.ts';
import { SCHEDULE_LABEL, cronJobName, desiredCronJob } from './cronjob.ts';
import { backupDueTime } from './due-time.ts';

type Ctx = ControllerContext<BackupSchedule>;
type Status = NonNullable<BackupSchedule['status']>;
type ModuleStatus = NonNullable<Status['modules']>[number];

interface JobObject extends KubeObject {
  status?: {
    startTime?: string;
    completionTime?: string;
    conditions?: { type: string; status: string; message?: string }[];
  };
}

export function reconcileBackupSchedule() {
  return async ({ namespace, name }: Request, ctx: Ctx): Promise<void> => {
    const owner = ctx.primary.get(namespace, name);
    if (!owner || owner.metadata.deletionTimestamp) return;
    const parsed = ctx.primary.getTyped(namespace, name);
    const generation = owner.metadata.generation ?? 0;
    const current = owner.status as Status | undefined;
    if (!parsed?.success) {
      const message = parsed ? formatZodError(parsed.error).replace(/\n/g, '; ') : 'not in cache';
      await report(ctx, owner, current, { generation, ready: [false, 'InvalidSpec', message], modules: [] });
      return;
    }
    const schedule = parsed.data;
    const ns = namespace ?? '';
    const store = cachedStore(ctx, ns, schedule.spec.s3Store.name);
    if (!store) {
      const message = `Failed to resolve s3store "${schedule.spec.s3Store.name}"`;
      await report(ctx, owner, current, {
        generation,
        ready: [false, 'S3StoreNotFound', message],
        modules: current?.modules ?? [],
      });
      return;
    }
    const { targets, skipped } = targetsOf(ctx, ns, name);
    const problems: string[] = [];
    const wanted = new Set<string>();
    for (const module of targets) {
      const cronJob = cronJobName(name, module.metadata.name ?? '');
      wanted.add(cronJob);
      const desired = desiredCronJob({ owner, schedule, module, store, fieldManager: ctx.fieldManager });
      await ensureChild(ctx, owner, RESOURCES.CronJob, cronJob, desired, problems);
    }
    await pruneCronJobs(ctx, owner, wanted);

    const modules = targets.map((m) => moduleStatus(ctx, ns, schedule, m.metadata.name ?? ''));
    const readiness = storeReadiness(ctx, ns, schedule.spec.s3Store.name);
    const notes = [
      ...skipped.map((m) => `module "${m}" has no persistentVolumeClaim to back up`),
      ...problems,
    ];
    const ready: [boolean, string, string] =
      problems.length > 0
        ? [false, 'ChildRejected', problems.join('; ')]
        : !readiness.ok
          ? [false, readiness.reason, readiness.message]
          : targets.length === 0
            ? [false, 'NoTargets', 'No botmodules reference this BackupSchedule']
            : [
                true,
                'CronJobsCreated',
                [`CronJobs created for ${targets.length} botmodule(s)`, ...notes].join('; '),
              ];
    await report(ctx, owner, current, { generation, ready, modules });
  };
}

/** BotModules that name this schedule and have a volume; those without a volume are reported, not scheduled. */
function targetsOf(ctx: Ctx, ns: string, schedule: string): { targets: BotModule[]; skipped: string[] } {
  const targets: BotModule[] = [];
  const skipped: string[] = [];
  for (const raw of ctx.cache(RESOURCES.BotModule).list(ns)) {
    const parsed = botModuleSchema.safeParse(raw);
    if (!parsed.success || parsed.data.spec.backupSchedule?.name !== schedule) continue;
    if (parsed.data.spec.persistentVolumeClaim) targets.push(parsed.data);
    else skipped.push(raw.metadata.name);
  }
  targets.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return { targets, skipped };
}

/** CronJobs this schedule controls that no module wants any more. */
async function pruneCronJobs(ctx: Ctx, owner: KubeObject, wanted: Set<string>): Promise<void> {
  const none: string[] = [];
  for (const cronJob of ctx.cache(RESOURCES.CronJob).list(owner.metadata.namespace)) {
    if (wanted.has(cronJob.metadata.name)) continue;
    await ensureChild(ctx, owner, RESOURCES.CronJob, cronJob.metadata.name, undefined, none);
  }
}

function moduleStatus(ctx: Ctx, ns: string, schedule: BackupSchedule, module: string): ModuleStatus {
  const cronJob = cronJobName(schedule.metadata.name ?? '', module);
  const cached = ctx.cache(RESOURCES.CronJob).get(ns, cronJob);
  const cron = (cached?.status ?? {}) as {
    lastScheduleTime?: string;
    lastSuccessfulTime?: string;
  };
  const dueTime = backupDueTime(
    schedule.spec,
    cron.lastSuccessfulTime ?? cached?.metadata.creationTimestamp,
    RUNNER_DEADLINE_SECONDS,
  );
  const jobs = (ctx.cache(RESOURCES.Job, SCHEDULE_LABEL).list(ns) as JobObject[])
    .filter((j) => j.metadata.ownerReferences?.some((r) => r.kind === 'CronJob' && r.name === cronJob))
    .sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
  const finished = (type: string) =>
    jobs.find((j) => j.status?.conditions?.some((c) => c.type === type && c.status === 'True'));
  const pods = ctx.cache(RUNNER_PODS, RUNNER_POD_SELECTOR).list(ns);
  const succeeded = finished('Complete');
  const failed = finished('Failed');
  const lastBackupId = succeeded
    ? parseRunnerResult(terminationMessage(pods, succeeded.metadata.name))?.backupId
    : undefined;
  // A failure is only news while no later backup succeeded.
  const lastFailure =
    failed &&
    (!succeeded || String(failed.metadata.creationTimestamp) > String(succeeded.metadata.creationTimestamp))
      ? failed
      : undefined;
  const failure = lastFailure
    ? `Job ${lastFailure.metadata.name}: ${
        parseRunnerResult(terminationMessage(pods, lastFailure.metadata.name))?.error ??
        lastFailure.status?.conditions?.find((c) => c.type === 'Failed')?.message ??
        'backup Job failed'
      }`
    : undefined;
  return {
    name: module,
    cronJob,
    ...(cron.lastScheduleTime ? { lastScheduleTime: cron.lastScheduleTime } : {}),
    ...(cron.lastSuccessfulTime ? { lastSuccessfulTime: cron.lastSuccessfulTime } : {}),
    ...(lastBackupId ? { lastBackupId } : {}),
    ...(failure ? { lastFailureMessage: failure } : {}),
    ...(dueTime ? { backupDueTime: dueTime } : {}),
  };
}

async function report(
  ctx: Ctx,
  owner: KubeObject,
  current: Status | undefined,
  what: { generation: number; ready: [boolean, string, string]; modules: ModuleStatus[] },
): Promise<void> {
  const [ok, reason, message] = what.ready;
  const lastSuccessfulTime = what.modules
    .map((m) => m.lastSuccessfulTime)
    .filter((t): t is string => t !== undefined)
    .sort()
    .at(-1);
  const status: Status = {
    observedGeneration: what.generation,
    conditions: setCondition(current?.conditions, readyCondition(ok, reason, message, what.generation)),
    moduleCount: what.modules.length,
    modules: what.modules,
    ...(lastSuccessfulTime ? { lastSuccessfulTime } : {}),
  };
  if (!(await applyStatus(ctx.client, RESOURCES.BackupSchedule, owner, status, ctx.fieldManager))) return;
  const before = current?.conditions?.find((c) => c.type === 'Ready');
  if (before?.status !== (ok ? 'True' : 'False') || before?.reason !== reason)
    await ctx.events.record(owner, ok ? 'Normal' : 'Warning', reason, message);
  for (const module of what.modules)
    announce(
      ctx,
      owner,
      current?.modules?.find((m) => m.name === module.name),
      module,
    );
}

/** backup.succeeded / backup.failed on the event bus when a module's outcome changes. */
function announce(ctx: Ctx, owner: KubeObject, before: ModuleStatus | undefined, after: ModuleStatus): void {
  const events: [EventName, string][] = [];
  if (after.lastSuccessfulTime && after.lastSuccessfulTime !== before?.lastSuccessfulTime)
    events.push([
      'backup.succeeded',
      `Backup of ${after.name} succeeded${after.lastBackupId ? ` (${after.lastBackupId})` : ''}`,
    ]);
  if (after.lastFailureMessage && after.lastFailureMessage !== before?.lastFailureMessage)
    events.push(['backup.failed', `Backup of ${after.name} failed: ${after.lastFailureMessage}`]);
  for (const [event, message] of events) ctx.bus?.announce('backupschedule', owner, event, { message });
}
