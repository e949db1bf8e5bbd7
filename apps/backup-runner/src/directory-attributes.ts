// Directory modes and mtimes are applied last, like GNU tar does: extracting a directory's children changes its
// mtime, and node-tar creates directories owner-writable (u+rwx) so their children can be written.
import { chmod, lstat, utimes } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { DirectoryAttributes } from './extract.ts';

/**
 * Best effort, like the rest of a restore after the swap: the data is in place by now, so a directory whose mode
 * or mtime cannot be set (e.g. owned by another user when not running as root) is reported, not fatal.
 * Returns one line per failure.
 */
export async function applyDirectoryAttributes(
  root: string,
  directories: DirectoryAttributes[],
): Promise<string[]> {
  const failures: string[] = [];
  // Deepest first, so setting a parent's mode (e.g. read-only) never blocks work on its children.
  const ordered = [...directories].sort((a, b) => b.path.split('/').length - a.path.split('/').length);
  for (const dir of ordered) {
    const abs = resolve(root, dir.path);
    const rel = relative(root, abs);
    if (rel === '' || rel.startsWith('..')) continue; // extraction already refused such entries; belt and braces
    const stat = await lstat(abs).catch(() => undefined);
    if (stat === undefined || !stat.isDirectory()) continue; // replaced by a later entry of the archive
    try {
      if (dir.mode !== undefined && (stat.mode & 0o7777) !== (dir.mode & 0o7777))
        await chmod(abs, dir.mode & 0o7777);
      if (dir.mtime !== undefined) await utimes(abs, dir.mtime, dir.mtime);
    } catch (err) {
      failures.push(`./${dir.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  return failures;
}
