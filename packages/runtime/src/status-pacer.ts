// Paces status writes that only refresh detail (e.g. a pods summary or replica counts), the way the kubelet
// batches pod status: during a rollout such detail changes several times a second, and writing each change costs
// the API server a write and every watcher an event. A change of anything else (phase, conditions,
// observedGeneration) is written at once and carries the latest detail with it; nothing is ever dropped, only held
// back for at most `paceMs` (the reconciler requeues itself for then).
import { isSubset } from './semantic.ts';

type Status = Record<string, unknown>;

export class StatusPacer {
  private readonly lastWrite = new Map<string, number>();
  private readonly paceMs: number;
  private readonly detailFields: readonly string[];
  private readonly now: () => number;

  constructor(options: { paceMs: number; detailFields: readonly string[]; now?: () => number }) {
    this.paceMs = options.paceMs;
    this.detailFields = options.detailFields;
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
    const withoutDetail = (s: Status) =>
      Object.fromEntries(Object.entries(s).filter(([k]) => !this.detailFields.includes(k)));
    const a = withoutDetail(current);
    const b = withoutDetail(desired);
    return isSubset(a, b) && isSubset(b, a);
  }
}
