// BackupRestore: restore a module's volume from a backup, once. The module is held at 0 replicas meanwhile.
import { z } from 'zod';
import { conditions, image, imagePullPolicy, localRef, observedGeneration } from './common.ts';
import { doc, withRules } from './schema-kit.ts';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const uuid = new RegExp(UUID);

export const backupRestoreSpecSchema = z.object({
  botModule: localRef('BotModule whose volume is restored'),
  s3Store: localRef('S3Store the backup is read from'),
  image: doc(image(), 'Image of the restore job (the backup-runner).'),
  imagePullPolicy: doc(imagePullPolicy(), 'Pull policy of the restore image. Default: IfNotPresent.').optional(),
  backupId: doc(
    withRules(z.string(), [
      {
        rule: `self.matches('${UUID}')`,
        message: 'backupId must be a UUID (the backup file name without .tar.gz)',
        check: (id) => uuid.test(id),
      },
    ]),
    'Which backup to restore (a UUID). Default: the newest by modification time.',
  ).optional(),
  cleanRestore: doc(z.boolean(), 'Empty the volume before restoring instead of restoring over it.').default(false),
  retry: doc(
    z.number().int().min(0),
    'Increase to run a failed restore again (a failed restore is otherwise final).',
  ).default(0),
});

export const backupRestorePhaseSchema = z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'NoBackupsFound', 'BotModuleNotFound']);

export const backupRestoreStatusSchema = z.object({
  observedGeneration: observedGeneration(),
  conditions: conditions(),
  phase: doc(backupRestorePhaseSchema, 'Where the restore is.').optional(),
  backupId: doc(z.string(), 'The backup being or having been restored.').optional(),
  jobName: doc(z.string(), 'The restore Job.').optional(),
  observedRetry: doc(z.number().int().min(0), 'The spec.retry the current attempt belongs to.').optional(),
  startTime: doc(z.string(), 'When the restore Job started (RFC 3339).').optional(),
  completionTime: doc(z.string(), 'When the restore finished (RFC 3339).').optional(),
});

export type BackupRestoreSpec = z.infer<typeof backupRestoreSpecSchema>;
export type BackupRestoreStatus = z.infer<typeof backupRestoreStatusSchema>;
export type BackupRestorePhase = z.infer<typeof backupRestorePhaseSchema>;
