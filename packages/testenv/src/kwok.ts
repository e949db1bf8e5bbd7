// What the local cluster's kwok does beyond kwok's own stages (config/eevee-stages.yaml).

/** A Job pod with this image (first container) fails with exit code 1 and a runner-style termination message. */
export const FAILING_JOB_IMAGE = 'eevee.test/failing-job:1';
