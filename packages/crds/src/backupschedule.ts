// BackupSchedule: when and where modules' volumes are backed up. Modules opt in with spec.backupSchedule.
import { z } from 'zod';
import { conditions, image, imagePullPolicy, localRef, observedGeneration } from './common.ts';
import { doc, listMap, withRules } from './schema-kit.ts';

// Five cron fields of * ? numbers names ranges steps and lists, or a macro. No backslashes, so the same text
// is a valid JavaScript regex and a valid CEL (RE2) string.
const cronField = '([*?]|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)([/][0-9]+)?(,([*?]|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)([/][0-9]+)?)*';
export const CRON_PATTERN = `^((${cronField})([ ]+(${cronField})){4}|@(yearly|annually|monthly|weekly|daily|midnight|hourly))$`;
const cron = new RegExp(CRON_PATTERN);

export const backupScheduleSpecSchema = z.object({
  schedule: doc(
    withRules(z.string().min(1).max(256), [
      {
        rule: `self.matches('${CRON_PATTERN}')`,
        message: 'schedule must be a cron expression with 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily',
        check: (s) => cron.test(s),
      },
    ]),
    'When to back up, in cron syntax (e.g. "30 3 * * *"); copied to each CronJob.',
  ),
  timeZone: doc(z.string().min(1).max(64).regex(/^[A-Za-z0-9_+\-/]+$/), 'IANA time zone of the schedule (e.g. Europe/Berlin). Default: the controller-manager time zone.').optional(),
  suspend: doc(z.boolean(), 'Suspend the CronJobs: no new backups start.').default(false),
  s3Store: localRef('S3Store the backups are written to'),
  image: doc(image(), 'Image of the backup job (the backup-runner).'),
  imagePullPolicy: doc(imagePullPolicy(), 'Pull policy of the backup image. Default: IfNotPresent.').optional(),
  retention: doc(
    z.object({
      keepLast: doc(z.number().int().min(1), 'Keep at least the newest N backups of each module.').optional(),
      maxAgeDays: doc(z.number().int().min(1), 'Delete backups older than this many days (never the newest keepLast).').optional(),
    }),
    'Which old backups to delete after a successful backup. Without it, nothing is deleted.',
  ).optional(),
});

export const backupScheduleStatusSchema = z.object({
  observedGeneration: observedGeneration(),
  conditions: conditions(),
  moduleCount: doc(z.number().int().min(0), 'Number of BotModules backed up on this schedule.').optional(),
  lastSuccessfulTime: doc(z.string(), 'When the latest backup of any module succeeded (RFC 3339).').optional(),
  modules: doc(
    listMap(
      z.array(
      z.object({
        name: doc(z.string(), 'BotModule name.'),
        cronJob: doc(z.string(), 'Name of its CronJob.'),
        lastScheduleTime: doc(z.string(), 'When its latest backup started.').optional(),
        lastSuccessfulTime: doc(z.string(), 'When its latest backup succeeded.').optional(),
        lastBackupId: doc(z.string(), 'Id (UUID) of its latest successful backup.').optional(),
        lastFailureMessage: doc(z.string(), 'Why its latest failed backup failed.').optional(),
        backupDueTime: doc(
          z.string(),
          'When a newer successful backup is due: the first run of the schedule after the latest success (or after the module joined), plus the time a run may take. Later than this, the backup is older than its schedule allows. Unset while suspended.',
        ).optional(),
      }),
      ),
      ['name'],
    ),
    'Per module: its CronJob and the outcome of its backups.',
  ).optional(),
});

export type BackupScheduleSpec = z.infer<typeof backupScheduleSpecSchema>;
export type BackupScheduleStatus = z.infer<typeof backupScheduleStatusSchema>;
