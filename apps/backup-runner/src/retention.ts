// Which old backups to delete after a successful backup. Pure: the caller lists and deletes.
import { compareNewestFirst } from '@eevee/backups';
import type { StoredBackup } from '@eevee/backups';

export interface RetentionPolicy {
  /** Alone: keep exactly the newest N. With maxAgeDays: the newest N are kept whatever their age. */
  keepLast?: number | undefined;
  /** Delete backups whose LastModified is more than this many days before `now`. */
  maxAgeDays?: number | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function hasRetention(policy: RetentionPolicy): boolean {
  return policy.keepLast !== undefined || policy.maxAgeDays !== undefined;
}

/**
 * The backups to delete, oldest first. Never the one just written (even if a skewed server clock makes it look
 * old or not the newest), never one of the newest `keepLast`; without any policy, nothing.
 */
export function backupsToDelete(
  backups: readonly StoredBackup[],
  policy: RetentionPolicy,
  justWrittenKey: string,
  now: Date,
): StoredBackup[] {
  if (!hasRetention(policy)) return [];
  const newestFirst = [...backups].sort(compareNewestFirst);
  const protectedCount = policy.keepLast ?? 0;
  const cutoff = policy.maxAgeDays === undefined ? undefined : now.getTime() - policy.maxAgeDays * DAY_MS;
  return newestFirst
    .filter((backup, index) => {
      if (backup.key === justWrittenKey || index < protectedCount) return false;
      // keepLast alone deletes everything beyond the newest N; with an age limit only what is also too old.
      return cutoff === undefined || backup.lastModified.getTime() < cutoff;
    })
    .reverse();
}
