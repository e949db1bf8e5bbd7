export { startController } from '@eevee/stack';
export type { ControllerName, RunningController } from '@eevee/stack';
