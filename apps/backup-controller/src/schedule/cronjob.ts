// The backup CronJob of one module on one schedule: the backup-runner (or the upstream image: same command path
// and environment) reading the module's volume mounted read-only, one run at a time.
import { LABELS, boundedName, labelValue } from '@eevee/crds';
import type { BackupSchedule, BotModule, S3Store } from '@eevee/crds';
import { controllerReference, standardLabels } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import type { V1EnvVar } from '@kubernetes/client-node';
import { RUNNER_LABEL } from '../pods.ts';
import { RUNNER_DEADLINE_SECONDS, runnerPodSpec, storeEnvironment } from '../runner-env.ts';

/** On the CronJob, its Jobs and their pods: which schedule they belong to. */
export const SCHEDULE_LABEL = 'eevee.bot/backup-schedule';

/** Upstream name, shortened deterministically: CronJob names over 52 characters are refused. */
export const cronJobName = (schedule: string, module: string): string =>
  boundedName(`${schedule}-${module}-backup`, 52);

export interface CronJobInputs {
  owner: KubeObject;
  schedule: BackupSchedule;
  module: BotModule;
  store: S3Store;
  fieldManager: string;
}

function retentionEnvironment(schedule: BackupSchedule): V1EnvVar[] {
  const r = schedule.spec.retention;
  return [
    ...(r?.keepLast !== undefined ? [{ name: 'RETENTION_KEEP_LAST', value: String(r.keepLast) }] : []),
    ...(r?.maxAgeDays !== undefined ? [{ name: 'RETENTION_MAX_AGE_DAYS', value: String(r.maxAgeDays) }] : []),
  ];
}

export function desiredCronJob(inputs: CronJobInputs): KubeObject {
  const { owner, schedule, module, store } = inputs;
  const moduleCr = module.metadata.name ?? '';
  const mountPath = module.spec.volumeMountPath;
  const labels = standardLabels({
    component: 'backup',
    instance: labelValue(moduleCr),
    managedBy: inputs.fieldManager,
    extra: { [LABELS.module]: labelValue(moduleCr), [SCHEDULE_LABEL]: labelValue(owner.metadata.name) },
  });
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: cronJobName(owner.metadata.name, moduleCr),
      namespace: owner.metadata.namespace,
      labels,
      ownerReferences: [controllerReference(owner)],
    },
    spec: {
      schedule: schedule.spec.schedule,
      ...(schedule.spec.timeZone ? { timeZone: schedule.spec.timeZone } : {}),
      suspend: schedule.spec.suspend,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: RUNNER_DEADLINE_SECONDS,
          ttlSecondsAfterFinished: 7 * 24 * 3600,
          template: {
            metadata: { labels: { ...labels, [RUNNER_LABEL]: 'true' } },
            spec: runnerPodSpec({
              container: 'backup',
              image: schedule.spec.image,
              imagePullPolicy: schedule.spec.imagePullPolicy,
              env: [
                ...storeEnvironment(store),
                { name: 'BACKUP_NAMESPACE', value: owner.metadata.namespace ?? '' },
                { name: 'BACKUP_MODULE', value: module.spec.moduleName },
                ...retentionEnvironment(schedule),
              ],
              module: moduleCr,
              mountPath,
              readOnly: true,
            }),
          },
        },
      },
    },
  };
}
