// Paces status writes that only refresh detail (e.g. a pods summary, replica counts, a condition's message with
// progress figures), the way the kubelet batches pod status: during a rollout such detail changes several times a
// second, and writing each change costs the API server a write and every watcher an event. A change of what is
// significant (the controller says what: phase, condition statuses and reasons, observedGeneration...) is written
// at once and carries the latest detail with it; nothing is ever dropped, only held back for at most `paceMs`
// (the reconciler requeues itself for then).
import { isSubset } from './semantic.ts';

type Status = Record<string, unknown>;

export class StatusPacer {
  private readonly lastWrite = new Map<string, number>();
  private readonly paceMs: number;
  private readonly significant: (status: Status) => unknown;
  private readonly now: () => number;

  constructor(options: { paceMs: number; significant: (status: Status) => unknown; now?: () => number }) {
    this.paceMs = options.paceMs;
    this.significant = options.significant;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds to hold `desired` back; 0 means write it now (or there is nothing to write). */
  holdFor(key: string, current: Status | undefined, desired: Status): number {
    const last = this.lastWrite.get(key);
    if (last === undefined || !this.onlyDetailDiffers(current ?? {}, desired)) return 0;
    return Math.max(0, last + this.paceMs - this.now());
  }

  /** Records a status write for `key`. */
  wrote(key: string): void {
    this.lastWrite.set(key, this.now());
  }

  /** Drops what is known about `key` (its object is gone). */
  forget(key: string): void {
    this.lastWrite.delete(key);
  }

  private onlyDetailDiffers(current: Status, desired: Status): boolean {
    const a = this.significant(current);
    const b = this.significant(desired);
    return isSubset(a, b) && isSubset(b, a);
  }
}
