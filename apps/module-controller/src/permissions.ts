// The module-controller's API permissions, derived from its controller definition (the chart's RBAC is
// generated from this; see @eevee/runtime permissions.ts). Settings do not change what it calls.
import { managerPermissions } from '@eevee/runtime';
import { botModuleController } from './controller.ts';
import { parseModuleSettings } from './settings.ts';

export const PERMISSIONS = managerPermissions([botModuleController(parseModuleSettings({}))]);
