export { startController } from './controllers.ts';
export type { ControllerName, RunningController } from './controllers.ts';
export { isSettled, moduleRows, renderProgress } from './progress.ts';
export type { ModuleRow } from './progress.ts';
export { applyAll, installCrds, readManifests, typeOf } from './manifests.ts';
export { SAMPLE_BOT, SAMPLE_NAMESPACE, sampleBot, storePrefix } from './sample-bot.ts';
export type { LocalStore } from './sample-bot.ts';
export { seedBackups, startLocalStore } from './local-backups.ts';
export { followModules } from './follow.ts';
