// The volume as an uncompressed tar stream, entries relative to the volume (`./`, `./a`, `./dir/`, ...), like
// `tar -cf - -C <volume> .`. Headers are encoded by node-tar (ustar, pax for long names or big numbers); the walk
// is ours because the volume is live: node-tar's `create` fails the whole archive when a file disappears between
// the directory listing and its read, and writes a file's header before opening it. Here a vanished entry is
// skipped with a warning (as GNU tar does), and a file that shrinks while read is padded with zeros (ditto).
import type { Dirent, Stats } from 'node:fs';
import { close, constants, fstat, open, read } from 'node:fs';
import { lstat, opendir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Header, Pax } from 'tar';
import { isWorkDirName } from './work-dirs.ts';
import type { Warnings } from './warnings.ts';

// Files are read through plain descriptors (callback API, promisified): per small file that is four thread-pool
// round trips without the FileHandle objects of fs/promises, whose upkeep was a tenth of the main thread's time.
const openFile = promisify(open);
const statFile = promisify(fstat);
const readFile = promisify(read);
const closeFile = promisify(close);

const BLOCK = 512;
/** Files up to this size are read whole by the look-ahead jobs; bigger ones are streamed in READ_BYTES chunks. */
const SMALL_FILE_BYTES = 256 * 1024;
const READ_BYTES = 1024 * 1024;
/** Entries prepared ahead (open, stat, small reads overlap on the thread pool); bounds memory to ~8 MiB. */
const LOOK_AHEAD = 32;

export interface TarVolumeOptions {
  /** Called for every symlink; returns a warning to record, if any. */
  checkSymlink?: (archivePath: string, target: string) => string | undefined;
}

/** One archive entry, prepared but not yet emitted. */
interface Prepared {
  path: string;
  stat: Stats;
  type: 'Directory' | 'File' | 'SymbolicLink';
  linkpath?: string;
  /** Small files: their content, already padded to whole blocks. */
  body?: Buffer;
  /** Big files: the open file descriptor, read when the entry is emitted. */
  fd?: number;
}

function isVanished(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function headerBlocks(entry: {
  path: string;
  type: 'Directory' | 'File' | 'SymbolicLink' | 'Link';
  stat: Stats;
  size: number;
  linkpath?: string | undefined;
}): Buffer[] {
  const data = {
    path: entry.path,
    type: entry.type,
    linkpath: entry.linkpath,
    // Permission bits exactly (setuid/setgid/sticky included), as GNU tar stores them.
    mode: entry.stat.mode & 0o7777,
    uid: entry.stat.uid,
    gid: entry.stat.gid,
    size: entry.size,
    mtime: entry.stat.mtime,
    // No user/group names: a restore in another image maps by number, which is what a volume needs.
    uname: '',
    gname: '',
  };
  const header = new Header(data);
  const needsPax = header.encode();
  const blocks: Buffer[] = [];
  if (needsPax) blocks.push(new Pax(data).encode());
  if (header.block === undefined) throw new Error(`could not encode the tar header of ${entry.path}`);
  blocks.push(header.block);
  return blocks;
}

async function readSmallFile(fd: number, size: number, path: string, warnings: Warnings): Promise<Buffer> {
  const body = Buffer.alloc(size + padding(size)); // zero-filled: padding, and the tail of a shrunken file
  let offset = 0;
  while (offset < size) {
    const { bytesRead } = await readFile(fd, body, offset, size - offset, offset);
    if (bytesRead === 0) {
      warnings.add(`${path}: shrank by ${size - offset} bytes while read; padded with zeros`);
      break;
    }
    offset += bytesRead;
  }
  return body;
}

async function prepareFile(abs: string, path: string, warnings: Warnings): Promise<Prepared | undefined> {
  let fd: number;
  try {
    // O_NOFOLLOW: an entry replaced by a symlink since the listing is not followed out of the volume.
    fd = await openFile(abs, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if (isVanished(err) || (err as NodeJS.ErrnoException).code === 'ELOOP') {
      warnings.add(`${path}: disappeared during the backup; not archived`);
      return undefined;
    }
    throw err;
  }
  try {
    // Size and metadata of what is actually read, not of what the listing saw.
    const stat = await statFile(fd);
    if (!stat.isFile()) {
      await closeFile(fd);
      warnings.add(`${path}: changed type during the backup; not archived`);
      return undefined;
    }
    if (stat.size > SMALL_FILE_BYTES) return { path, stat, type: 'File', fd };
    const body = await readSmallFile(fd, stat.size, path, warnings);
    await closeFile(fd);
    return { path, stat, type: 'File', body };
  } catch (err) {
    await closeFile(fd).catch(() => undefined);
    throw err;
  }
}

async function prepare(
  abs: string,
  path: string,
  kind: Dirent | 'root',
  warnings: Warnings,
): Promise<Prepared | undefined> {
  try {
    if (kind === 'root' || kind.isDirectory()) {
      const stat = await lstat(abs);
      return stat.isDirectory() ? { path, stat, type: 'Directory' } : undefined;
    }
    if (kind.isSymbolicLink()) {
      const [stat, linkpath] = await Promise.all([lstat(abs), readlink(abs)]);
      return { path, stat, type: 'SymbolicLink', linkpath };
    }
    return await prepareFile(abs, path, warnings);
  } catch (err) {
    if (isVanished(err)) {
      warnings.add(`${path}: disappeared during the backup; not archived`);
      return undefined;
    }
    throw err;
  }
}

/** Entries in archive order (a directory, then its contents, names sorted bytewise), each started eagerly. */
async function* walk(
  root: string,
  warnings: Warnings,
): AsyncGenerator<{ entry: Promise<Prepared | undefined> }> {
  yield { entry: prepare(root, './', 'root', warnings) };
  yield* walkDir(root, '', warnings);
}

async function* walkDir(
  abs: string,
  rel: string,
  warnings: Warnings,
): AsyncGenerator<{ entry: Promise<Prepared | undefined> }> {
  let dirents: Dirent[];
  try {
    const dir = await opendir(abs, { bufferSize: 256 });
    dirents = [];
    for await (const d of dir) dirents.push(d);
  } catch (err) {
    if (isVanished(err)) {
      warnings.add(`./${rel}: directory disappeared during the backup`);
      return;
    }
    throw err;
  }
  // Sorted so the same tree gives the same archive (readdir order depends on the filesystem's history).
  dirents.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  for (const dirent of dirents) {
    if (rel === '' && isWorkDirName(dirent.name)) continue;
    const childAbs = join(abs, dirent.name);
    const childRel = rel === '' ? dirent.name : `${rel}/${dirent.name}`;
    if (dirent.isDirectory()) {
      yield { entry: prepare(childAbs, `./${childRel}/`, dirent, warnings) };
      yield* walkDir(childAbs, childRel, warnings);
    } else if (dirent.isFile() || dirent.isSymbolicLink()) {
      yield { entry: prepare(childAbs, `./${childRel}`, dirent, warnings) };
    } else {
      // GNU tar skips sockets too; devices and FIFOs have no place in an application volume.
      warnings.add(`./${childRel}: not a file, directory or symlink (socket, FIFO or device); not archived`);
    }
  }
}

async function* emit(
  entry: Prepared,
  readBuffer: Buffer,
  links: Map<string, string>,
  warnings: Warnings,
  options: TarVolumeOptions,
): AsyncGenerator<Buffer> {
  const { stat, path } = entry;
  if (entry.type === 'SymbolicLink') {
    const problem = options.checkSymlink?.(path, entry.linkpath ?? '');
    if (problem !== undefined) warnings.add(problem);
  }
  if (entry.type === 'File' && stat.nlink > 1) {
    // Hard links are decided here, in archive order: the first path carries the data, later ones link to it.
    const key = `${stat.dev}:${stat.ino}`;
    const first = links.get(key);
    if (first !== undefined) {
      if (entry.fd !== undefined) await closeFile(entry.fd);
      yield* headerBlocks({ path, type: 'Link', stat, size: 0, linkpath: first });
      return;
    }
    links.set(key, path);
  }
  const size = entry.type === 'File' ? stat.size : 0;
  yield* headerBlocks({ path, type: entry.type, stat, size, linkpath: entry.linkpath });
  if (entry.body !== undefined) {
    if (entry.body.length > 0) yield entry.body;
    return;
  }
  const fd = entry.fd;
  if (fd === undefined) return;
  try {
    let offset = 0;
    while (offset < size) {
      // One buffer for all reads: a yielded chunk is only valid until the next one is requested (see tarVolume).
      const chunk = readBuffer.subarray(0, Math.min(READ_BYTES, size - offset));
      const { bytesRead } = await readFile(fd, chunk, 0, chunk.length, offset);
      if (bytesRead === 0) {
        warnings.add(`${path}: shrank by ${size - offset} bytes while read; padded with zeros`);
        for (let left = size - offset; left > 0; left -= READ_BYTES)
          yield Buffer.alloc(Math.min(left, READ_BYTES));
        break;
      }
      offset += bytesRead;
      yield bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead);
    }
    const pad = padding(size);
    if (pad > 0) yield Buffer.alloc(pad);
  } finally {
    await closeFile(fd);
  }
}

/**
 * The tar stream of `root`. Restore work dirs at the top level are left out. Fails on errors that would make the
 * backup incomplete (e.g. a permission denied); a vanished or shrinking file only adds a warning.
 *
 * Large files are read through one reused buffer, so a yielded chunk is only valid until the next one is
 * requested: consumers copy what they keep (gzipMembers does). This saves allocating, page-faulting and
 * garbage-collecting a fresh buffer per MiB read.
 */
export async function* tarVolume(
  root: string,
  warnings: Warnings,
  options: TarVolumeOptions = {},
): AsyncGenerator<Buffer> {
  const links = new Map<string, string>();
  const readBuffer = Buffer.allocUnsafe(READ_BYTES);
  const ahead: Promise<Prepared | undefined>[] = [];
  const release = async (): Promise<void> => {
    for (const pending of ahead.splice(0))
      await pending.then((p) => (p?.fd === undefined ? undefined : closeFile(p.fd))).catch(() => undefined);
  };
  try {
    for await (const { entry } of walk(root, warnings)) {
      entry.catch(() => undefined); // rethrown below when its turn comes
      ahead.push(entry);
      if (ahead.length < LOOK_AHEAD) continue;
      const next = await ahead.shift();
      if (next !== undefined) yield* emit(next, readBuffer, links, warnings, options);
    }
    for (let pending = ahead.shift(); pending !== undefined; pending = ahead.shift()) {
      const next = await pending;
      if (next !== undefined) yield* emit(next, readBuffer, links, warnings, options);
    }
    yield Buffer.alloc(2 * BLOCK); // end of archive
  } finally {
    // Early exit (an error here or downstream): close the files opened ahead.
    await release();
  }
}
