// The V8 flags the image's wrapper scripts (/usr/local/bin/backup.sh, restore.sh) start node with; the benchmark
// runs the runner with the same ones, and e2e/test/dockerfiles.test.ts holds the Dockerfile to them.
//
// --max-semi-space-size=2: a streaming process otherwise grows the young generation to 64 MiB of mostly garbage.
// --max-old-space-size=96: the Jobs run with a 256 MiB memory limit, under which Node sizes the heap to ~256 MiB on
//   its own, i.e. V8 would let garbage (above all the external memory of spent buffers, collected only once tens
//   of MiB piled up) grow until the kernel's OOM killer stops the Job, instead of collecting it. 96 MiB is ~6× the
//   heap a backup or restore uses (15–20 MiB) and leaves room under the limit for node itself and the buffers.
export const RUNNER_NODE_FLAGS = ['--max-semi-space-size=2', '--max-old-space-size=96'] as const;
