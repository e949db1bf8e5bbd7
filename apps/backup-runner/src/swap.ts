// Puts a verified staging tree in place. Both staging and trash live on the volume, so every move is a rename:
// atomic per entry, no copying, no extra space.
import { lstat, mkdir, readdir, rename, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isWorkDirName } from './work-dirs.ts';

interface Move {
  from: string;
  to: string;
}

async function topLevel(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => !isWorkDirName(name));
}

/**
 * RESTORE_CLEAN=true: the volume ends up holding exactly the archive. Live entries move to `trash`, staged ones
 * move in. If a move fails, the moves done so far are undone in reverse order, so the live data is back as it
 * was; only then is the error rethrown. The caller deletes `trash` after success.
 */
export async function swapClean(root: string, staging: string, trash: string): Promise<void> {
  await mkdir(trash, { mode: 0o700 });
  const done: Move[] = [];
  const move = async (from: string, to: string): Promise<void> => {
    await rename(from, to);
    done.push({ from, to });
  };
  try {
    for (const name of await topLevel(root)) await move(join(root, name), join(trash, name));
    for (const name of await topLevel(staging)) await move(join(staging, name), join(root, name));
  } catch (err) {
    const undoFailures: string[] = [];
    for (const { from, to } of done.reverse()) {
      await rename(to, from).catch((undoErr: Error) => undoFailures.push(`${to}: ${undoErr.message}`));
    }
    if (undoFailures.length > 0) {
      throw new Error(
        `swapping the restored data in failed (${(err as Error).message}) and so did putting the live data back; ` +
          `what could not be moved back is in ${trash}: ${undoFailures.join('; ')}`,
        { cause: err },
      );
    }
    await rmdir(trash).catch(() => undefined);
    throw err;
  }
}

/**
 * RESTORE_CLEAN=false, the upstream semantics of `tar -xzf` over existing data: staged files replace live ones,
 * staged directories merge into live directories, live entries absent from the archive stay. Where the archive
 * has a directory and the volume something else (or the reverse), the archive wins and the live entry goes to
 * `trash` (created on demand).
 */
export async function mergeInto(stagedDir: string, liveDir: string, trash: string): Promise<void> {
  let trashed = 0;
  const discard = async (path: string): Promise<void> => {
    await mkdir(trash, { recursive: true, mode: 0o700 });
    trashed += 1;
    await rename(path, join(trash, String(trashed)));
  };
  const merge = async (staged: string, live: string, isRoot: boolean): Promise<void> => {
    const names = isRoot ? await topLevel(staged) : await readdir(staged);
    for (const name of names) {
      const from = join(staged, name);
      const to = join(live, name);
      const [source, existing] = await Promise.all([lstat(from), lstat(to).catch(() => undefined)]);
      if (source.isDirectory() && existing?.isDirectory()) {
        await merge(from, to, false);
        continue;
      }
      // rename(2) replaces a file or symlink atomically; a directory on either side needs the old entry gone.
      if (existing !== undefined && (source.isDirectory() || existing.isDirectory())) await discard(to);
      await rename(from, to);
    }
  };
  await merge(stagedDir, liveDir, true);
}
