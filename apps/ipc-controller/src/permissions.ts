// The ipc-controller's API permissions, derived from its controller definition (the chart's RBAC is generated
// from this; see @eevee/runtime permissions.ts).
import { managerPermissions } from '@eevee/runtime';
import { ipcConfigController } from './controller.ts';

export const PERMISSIONS = managerPermissions([ipcConfigController()]);
