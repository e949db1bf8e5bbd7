export { startController } from './controllers.ts';
export type { ControllerName, RunningController } from './controllers.ts';
