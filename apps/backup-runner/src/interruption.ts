// A deleted Job (or an evicted or preempted pod) gets SIGTERM, then SIGKILL once its grace period is over. On
// SIGTERM the runner stops where it is safe to and reports it: a backup aborts its multipart upload, so no
// orphaned parts are left to be billed, and deletes an object it already uploaded; a restore stops before the swap
// (the live data is untouched) and removes its staging directory. It then exits 128 + the signal number, with its
// result. A second signal stops it at once.
import { constants } from 'node:os';

export class Interrupted extends Error {
  readonly signal: NodeJS.Signals;

  constructor(signal: NodeJS.Signals) {
    super(`interrupted by ${signal}; stopped before finishing (nothing half-done was kept)`);
    this.signal = signal;
  }

  /** The conventional exit code of a process ended by the signal. */
  get exitCode(): number {
    return 128 + (constants.signals[this.signal] ?? 0);
  }
}

/** An AbortSignal that SIGTERM or SIGINT aborts with an Interrupted reason. */
export function interruptionSignal(): AbortSignal {
  const controller = new AbortController();
  for (const name of ['SIGTERM', 'SIGINT'] as const) {
    process.on(name, () => {
      if (controller.signal.aborted) process.exit(new Interrupted(name).exitCode);
      controller.abort(new Interrupted(name));
    });
  }
  return controller.signal;
}

/** Passes `source` through, throwing the signal's reason at the first item after it was aborted. */
export async function* untilInterrupted<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal | undefined,
): AsyncGenerator<T> {
  for await (const item of source) {
    signal?.throwIfAborted();
    yield item;
  }
}
