export { startController } from '@eevee/stack';
export type { ControllerName, RunningController } from '@eevee/stack';
export { replayJob, runAsJob } from './jobs.ts';
export type { CronJob, PodTemplate, RunOutcome } from './jobs.ts';
export { createNightlySchedule, createS3Store, startS3WithBucket } from './fixtures.ts';
