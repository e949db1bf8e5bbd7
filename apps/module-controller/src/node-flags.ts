// The V8 flags the image starts the module-controller with; the benchmark runs it with the same ones, and a test
// (e2e/test/dockerfiles.test.ts) holds the Dockerfile to them.
//
// --optimize-for-size: after 1,000 modules converged, the controller holds ~43 MiB of live heap, but with V8's
//   default growth heuristics (tuned for throughput) it kept ~330 MiB resident; with this flag ~116 MiB, for the
//   same convergence time and ~30 % more controller CPU (README, "Measured"). Unlike a heap cap it does not have to
//   be sized to the number of modules.
export const CONTROLLER_NODE_FLAGS = ['--optimize-for-size'] as const;
