// When a module's next successful backup is due: the first run of its schedule after its latest successful backup
// (or, before the first, after its CronJob was created), plus the time one run may take. A backup older than that
// is older than its schedule allows: status.modules[].backupDueTime, which the EeveeBackupTooOld alert reads, so
// a weekly schedule is not held to a daily rule. None while the schedule is suspended.
import { Cron } from 'croner';
import type { BackupSchedule } from '@eevee/crds';

const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function backupDueTime(
  spec: Pick<BackupSchedule['spec'], 'schedule' | 'timeZone' | 'suspend'>,
  since: string | undefined,
  runSeconds: number,
): string | undefined {
  if (spec.suspend || !since || Number.isNaN(Date.parse(since))) return undefined;
  let next: Date | null;
  try {
    // Kubernetes' cron: five fields or a macro, day-of-month OR day-of-week (croner's default), in timeZone.
    next = new Cron(spec.schedule, {
      paused: true,
      ...(spec.timeZone ? { timezone: spec.timeZone } : {}),
    }).nextRun(new Date(since));
  } catch {
    return undefined; // an expression the CronJob refuses too; its status says so
  }
  return next ? rfc3339(new Date(next.getTime() + runSeconds * 1000)) : undefined;
}
