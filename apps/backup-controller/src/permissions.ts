// The backup-controller's API permissions, derived from its controller definitions (the chart's RBAC is
// generated from this; see @eevee/runtime permissions.ts).
import { managerPermissions } from '@eevee/runtime';
import { backupControllers } from './controllers.ts';

export const PERMISSIONS = managerPermissions(backupControllers());
