// The directories a restore works in. They live on the volume itself, so moving entries between them and the
// live tree is a rename (atomic, no copy, no second disk needed), and they are never part of a backup.
import { chmod, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const STAGING_PREFIX = '.eevee-restore-';
const TRASH_PREFIX = '.eevee-trash-';

export function stagingDir(volume: string, backupId: string): string {
  return join(volume, `${STAGING_PREFIX}${backupId}`);
}

export function trashDir(volume: string, backupId: string): string {
  return join(volume, `${TRASH_PREFIX}${backupId}`);
}

/** True for a top-level name of the volume that belongs to a restore in progress (or an interrupted one). */
export function isWorkDirName(name: string): boolean {
  return name.startsWith(STAGING_PREFIX) || name.startsWith(TRASH_PREFIX);
}

/**
 * Removes a tree, also when it holds directories without write permission for us (old live data moved to the
 * trash may; root ignores permissions, any other user needs them made writable first).
 */
export async function removeTree(path: string): Promise<void> {
  try {
    // Retries: after a failed extraction node-tar may still be finishing writes into the tree.
    await rm(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EACCES' && (err as NodeJS.ErrnoException).code !== 'EPERM') {
      throw err;
    }
    await makeOwnerWritable(path);
    await rm(path, { recursive: true, force: true });
  }
}

async function makeOwnerWritable(dir: string): Promise<void> {
  await chmod(dir, 0o700).catch(() => undefined);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isDirectory()) await makeOwnerWritable(join(dir, entry.name));
  }
}

/** Removes what an interrupted restore left behind, so it neither fills the volume nor confuses this one. */
export async function removeStaleWorkDirs(volume: string): Promise<string[]> {
  const stale = (await readdir(volume)).filter(isWorkDirName);
  for (const name of stale) await removeTree(join(volume, name));
  return stale;
}
