// Downloads are extracted while they arrive: bytes are hashed on the way in, gunzipped on the thread pool, and
// node-tar writes the entries into a staging directory. Nothing is trusted yet at this point: the staging directory is only
// swapped in after the archive proved complete and (if a checksum was recorded) authentic.
import { once } from 'node:events';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { UnpackSync } from 'tar';
import type { ReadEntry } from 'tar';
import { digested, StreamDigest } from './digest.ts';

/** A directory's mode and mtime from the archive, applied after the swap (see directory-attributes.ts). */
export interface DirectoryAttributes {
  /** Relative to the volume, without `./` or a trailing slash. */
  path: string;
  mode: number | undefined;
  mtime: Date | undefined;
}

export interface ExtractedArchive {
  bytes: number;
  sha256: string;
  directories: DirectoryAttributes[];
}

/** The entry path as a plain relative path; '' for the archive root (`./`). */
export function normalizeEntryPath(path: string): string {
  const normalized = posix.normalize(path).replace(/\/+$/, '');
  return normalized === '.' ? '' : normalized.replace(/^\.\//, '');
}

/** A failure of the download itself (network, S3), as opposed to a bad archive. */
class SourceError extends Error {}

async function* guarded<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (err) {
    throw new SourceError('download failed', { cause: err });
  }
}

/** The archive itself is bad: not gzip, truncated, not tar, or an entry node-tar refuses. */
export class BadArchiveError extends Error {}

function describeTarError(err: unknown): BadArchiveError {
  if (err instanceof BadArchiveError) return err;
  const data = err as { message?: string; path?: unknown; entry?: { path?: unknown } };
  const path = typeof data.path === 'string' ? data.path : data.entry?.path;
  const where = typeof path === 'string' ? ` (entry ${JSON.stringify(path)})` : '';
  return new BadArchiveError(`the archive is damaged or unsafe: ${data.message ?? String(err)}${where}`, {
    cause: err,
  });
}

/** Writes `source` into `unpack` with backpressure; resolves when every entry is on disk. */
async function feed(source: AsyncIterable<Uint8Array>, unpack: UnpackSync): Promise<void> {
  let failure: BadArchiveError | undefined;
  const done = new Promise<void>((resolve, reject) => {
    unpack.once('close', () => resolve());
    // `on`, not `once`: a bad archive can raise several errors, and an unheard one would crash the process.
    unpack.on('error', (err: unknown) => {
      failure ??= describeTarError(err);
      reject(failure);
    });
  });
  done.catch(() => undefined); // observed below; must not count as unhandled while we are still writing
  for await (const chunk of source) {
    // Stop downloading as soon as the archive is known bad (leaving the loop closes the download).
    if (failure !== undefined) break;
    let flushed: boolean;
    try {
      flushed = unpack.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (err) {
      // Some malformed headers throw straight out of write() instead of emitting 'error'.
      failure ??= describeTarError(err);
      break;
    }
    if (!flushed) await Promise.race([once(unpack, 'drain'), done]);
  }
  if (failure !== undefined) throw failure;
  unpack.end();
  await done;
}

/**
 * Extracts the tar+gzip `source` into the existing, empty directory `target`, refusing what could write outside
 * it: entries with `..` or absolute paths, symlinks and hard links pointing out of it, writing through a symlink
 * (node-tar's checks, active because preservePaths is off). strict: every warning is an error, so nothing is
 * silently skipped or rewritten. Download errors are rethrown as they are (for the caller to describe); anything
 * else means the archive is bad.
 */
export async function extractArchive(
  source: AsyncIterable<Uint8Array>,
  target: string,
): Promise<ExtractedArchive> {
  const digest = new StreamDigest();
  const directories: DirectoryAttributes[] = [];
  // The synchronous unpacker: each entry's file system calls (mkdir, lstat, open, write, futimes, close) run
  // directly on the main thread instead of as a dozen thread-pool round trips per file. On page-cache writes a
  // round trip costs more than the call itself, and the async Unpack left the main thread idle 60 % of a restore
  // waiting for them; this halves the time of a 20,000-file restore on tmpfs (README, "Measured"). Its path
  // checks are the same as the async Unpack's, and it has no path reservations (nothing runs concurrently), so
  // none of their per-entry memory either.
  const unpack = new UnpackSync({
    cwd: target,
    strict: true,
    preservePaths: false,
    // Exact modes: node-tar chmods what the umask would have masked; umask 0 (below) covers new files.
    chmod: true,
    processUmask: 0,
    onReadEntry: (entry: ReadEntry) => {
      if (entry.type !== 'Directory') return;
      const path = normalizeEntryPath(entry.path);
      if (path !== '') directories.push({ path, mode: entry.mode, mtime: entry.mtime });
    },
  });
  // Gunzip here rather than in node-tar: node's zlib stream inflates on the thread pool, beside node-tar's
  // parsing on the main thread, and in large chunks (node-tar's inflater hands out 16 KiB, one write(2) each).
  // It also reads every gzip member of the archive (they are concatenated, see gzip-members.ts).
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  // node-tar creates files with the archive's mode through open(2), which the process umask masks (a 0o666 file
  // would become 0o644). The runner is a one-shot CLI, so it is safe to drop the umask while extracting.
  const previousUmask = process.umask(0);
  try {
    await pipeline(guarded(digested(source, digest)), gunzip, (tar: AsyncIterable<Buffer>) =>
      feed(tar, unpack),
    );
  } catch (err) {
    if (err instanceof SourceError) throw err.cause;
    throw describeTarError(err);
  } finally {
    process.umask(previousUmask);
  }
  return { bytes: digest.bytes, sha256: digest.sha256, directories };
}
