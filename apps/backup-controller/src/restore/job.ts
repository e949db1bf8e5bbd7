// The restore Job: the backup-runner (or the upstream image: same command path and environment) restoring one
// backup into the module's volume, mounted read-write, as the modules' uid.
import { LABELS, boundedName, labelValue } from '@eevee/crds';
import type { BackupRestore, BotModule, S3Store } from '@eevee/crds';
import { controllerReference, standardLabels } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { RUNNER_LABEL } from '../pods.ts';
import { RUNNER_DEADLINE_SECONDS, runnerPodSpec, storeEnvironment } from '../runner-env.ts';

/** One Job per attempt: bumping spec.retry starts a new Job beside the failed one (kept for its logs). */
export const restoreJobName = (restore: string, retry: number): string =>
  boundedName(retry > 0 ? `${restore}-restore-${retry}` : `${restore}-restore`, 63);

export interface RestoreJobInputs {
  owner: KubeObject;
  restore: BackupRestore;
  module: BotModule;
  store: S3Store;
  backupId: string;
  fieldManager: string;
}

export function desiredRestoreJob(inputs: RestoreJobInputs): KubeObject {
  const { owner, restore, module, store } = inputs;
  const moduleCr = module.metadata.name ?? '';
  const mountPath = module.spec.volumeMountPath;
  const labels = standardLabels({
    component: 'restore',
    instance: labelValue(moduleCr),
    managedBy: inputs.fieldManager,
    extra: { [LABELS.module]: labelValue(moduleCr), [RUNNER_LABEL]: 'true' },
  });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: restoreJobName(owner.metadata.name, restore.spec.retry),
      namespace: owner.metadata.namespace,
      labels,
      ownerReferences: [controllerReference(owner)],
    },
    spec: {
      // A transient S3 error gets two more tries; after that the restore is Failed until spec.retry is bumped.
      backoffLimit: 2,
      activeDeadlineSeconds: RUNNER_DEADLINE_SECONDS,
      template: {
        metadata: { labels },
        spec: runnerPodSpec({
          container: 'restore',
          image: restore.spec.image,
          imagePullPolicy: restore.spec.imagePullPolicy,
          env: [
            ...storeEnvironment(store),
            { name: 'RESTORE_NAMESPACE', value: owner.metadata.namespace ?? '' },
            { name: 'RESTORE_MODULE', value: module.spec.moduleName },
            { name: 'RESTORE_BACKUP_ID', value: inputs.backupId },
            { name: 'RESTORE_CLEAN', value: String(restore.spec.cleanRestore) },
          ],
          module: moduleCr,
          mountPath,
          readOnly: false,
        }),
      },
    },
  };
}
