// The backup-controller's controllers, one per kind it reconciles (and the bootstrap of BotModules).
import type { ControllerDefinition } from '@eevee/runtime';
import { bootstrapController } from './bootstrap/controller.ts';
import { backupRestoreController } from './restore/controller.ts';
import { backupScheduleController } from './schedule/controller.ts';
import { s3StoreController } from './s3store/controller.ts';

export function backupControllers(): ControllerDefinition<unknown>[] {
  return [s3StoreController(), backupScheduleController(), backupRestoreController(), bootstrapController()];
}
