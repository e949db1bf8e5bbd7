// BackupSchedules: woken by the modules that opt in or out, their store, their CronJobs, and the Jobs and runner
// pods those start.
import { backupScheduleSchema } from '@eevee/crds';
import type { BackupSchedule } from '@eevee/crds';
import { RESOURCES, appliesAndPrunes, defineController, writesStatus } from '@eevee/runtime';
import type { ControllerDefinition, KubeObject } from '@eevee/runtime';
import { RUNNER_PODS, RUNNER_POD_SELECTOR } from '../pods.ts';
import { SCHEDULE_LABEL } from './cronjob.ts';
import { reconcileBackupSchedule } from './reconciler.ts';

/** The schedule a Job or runner pod belongs to, by its label. */
const bySchedule = (obj: KubeObject): string[] => {
  const schedule = obj.metadata.labels?.[SCHEDULE_LABEL];
  return schedule ? [`${obj.metadata.namespace}/${schedule}`] : [];
};

export function backupScheduleController(): ControllerDefinition<unknown> {
  return defineController<BackupSchedule>({
    name: 'backupschedule',
    for: RESOURCES.BackupSchedule,
    schema: backupScheduleSchema,
    owns: [RESOURCES.CronJob],
    watches: [
      // A module opting in, out, or changing its volume: every schedule of the namespace looks again (a module
      // leaving a schedule is no longer named by it, and schedules are few).
      {
        type: RESOURCES.BotModule,
        keys: (module, ctx) =>
          ctx.primary
            .list(module.metadata.namespace)
            .map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
      },
      {
        type: RESOURCES.S3Store,
        keys: (store, ctx) =>
          ctx.primary
            .list(store.metadata.namespace)
            .filter(
              (s) =>
                (s as { spec?: { s3Store?: { name?: string } } }).spec?.s3Store?.name === store.metadata.name,
            )
            .map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
      },
      { type: RESOURCES.Job, labelSelector: SCHEDULE_LABEL, keys: bySchedule },
      { type: RUNNER_PODS, labelSelector: RUNNER_POD_SELECTOR, keys: bySchedule },
    ],
    calls: [...writesStatus(RESOURCES.BackupSchedule), ...appliesAndPrunes(RESOURCES.CronJob)],
    reconcile: reconcileBackupSchedule(),
  });
}
