// An upper bound of the archive size, known before the first byte is read. S3 multipart uploads have at most
// 10,000 parts and the part size is fixed when the upload starts, so it must fit the largest archive this
// volume can produce.
import { lstat, opendir, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { isWorkDirName } from './work-dirs.ts';

/** Tar stores each entry as a 512-byte header (plus a pax header for long names) and pads data to 512 bytes. */
const ENTRY_OVERHEAD = 3 * 512;

/**
 * Sum of the tar sizes of everything under `root` (apparent file sizes, so sparse files count in full, as tar
 * reads them), skipping restore work dirs like the archive does. Vanished entries are ignored: the volume is live.
 */
export async function estimateTarBytes(root: string): Promise<number> {
  let total = 1024; // end-of-archive blocks
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let handle;
    try {
      handle = await opendir(dir, { bufferSize: 256 });
    } catch {
      continue;
    }
    for await (const entry of handle) {
      if (dir === root && isWorkDirName(entry.name)) continue;
      total += ENTRY_OVERHEAD;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) {
        const size = await lstat(path).then(
          (s) => s.size,
          () => 0,
        );
        total += Math.ceil(size / 512) * 512;
      }
    }
  }
  return total;
}

/**
 * A cheap upper bound for choosing the part size: the bytes in use on the volume's filesystem (one statfs call;
 * a PVC is its own filesystem). Only when that is large enough to matter (above `smallEnough`) is the tree walked
 * for the tar size, which costs a stat per file. Blocks in use bound the archive for anything but sparse or
 * filesystem-compressed files, which are exactly the data gzip shrinks again.
 */
export async function estimateArchiveBound(root: string, smallEnough: number): Promise<number> {
  const fs = await statfs(root);
  const used = (fs.blocks - fs.bfree) * fs.bsize;
  if (used <= smallEnough) return used;
  return Math.min(used, await estimateTarBytes(root));
}
