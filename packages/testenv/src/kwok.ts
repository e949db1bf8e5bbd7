// What the local cluster's kwok does beyond kwok's own stages (config/eevee-stages.yaml).

/** A Job pod with this image (first container) fails with exit code 1 and a runner-style termination message. */
export const FAILING_JOB_IMAGE = 'eevee.test/failing-job:1';

/**
 * A Job pod with this image (first container) ends as a real run ended: the exit code and termination message in
 * the pod's REPLAY_ANNOTATIONS (kwok's pod-replay stage). Tests run the real program with the Job's environment
 * and give its outcome to the pod, since kwok runs no container.
 */
export const REPLAY_JOB_IMAGE = 'eevee.test/replay-job:1';
export const REPLAY_ANNOTATIONS = {
  exitCode: 'eevee.test/exit-code',
  terminationMessage: 'eevee.test/termination-message',
} as const;
