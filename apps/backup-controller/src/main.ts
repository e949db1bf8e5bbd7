// eevee backup-controller: S3Store tests, BackupSchedule CronJobs, BackupRestore Jobs, bootstrap from backup.
import { runManager } from '@eevee/runtime';
import { backupControllers } from './controllers.ts';

await runManager({ name: 'backup-controller', controllers: backupControllers() });
