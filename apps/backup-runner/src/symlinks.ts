// Restores refuse symlinks that point outside the volume (node-tar's extraction hardening, see restore); a backup
// flags them up front so nobody learns it from a failed restore.
import { posix } from 'node:path';

/** True when `target`, as stored for the symlink at `archivePath` (e.g. `./a/link`), leaves the archive root. */
export function symlinkLeavesVolume(archivePath: string, target: string): boolean {
  if (posix.isAbsolute(target)) return true;
  const resolved = posix.normalize(posix.join(posix.dirname(archivePath), target));
  return resolved === '..' || resolved.startsWith('../');
}
