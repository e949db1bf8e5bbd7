// Sample volumes for the integration tests and an exact description of a tree to compare them by.
import { createHash, randomBytes } from 'node:crypto';
import {
  link,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  symlink,
  utimes,
  writeFile,
  chmod,
} from 'node:fs/promises';
import { join } from 'node:path';

export interface EntrySnapshot {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  mtime: number;
  size?: number;
  sha256?: string;
  target?: string;
}

/**
 * Every entry under `root` (not root itself) by relative path: type, permission bits, mtime in whole seconds
 * (what tar keeps), and content hash or symlink target. Names in `skip` at the top level are left out.
 */
export async function snapshot(
  root: string,
  skip: (name: string) => boolean = () => false,
): Promise<Record<string, EntrySnapshot>> {
  const out: Record<string, EntrySnapshot> = {};
  const visit = async (dir: string, rel: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      if (rel === '' && skip(name)) continue;
      const abs = join(dir, name);
      const path = rel === '' ? name : `${rel}/${name}`;
      const stat = await lstat(abs);
      const base = { mode: stat.mode & 0o7777, mtime: Math.floor(stat.mtimeMs / 1000) };
      if (stat.isDirectory()) {
        out[path] = { type: 'dir', ...base };
        await visit(abs, path);
      } else if (stat.isFile()) {
        const sha256 = createHash('sha256')
          .update(await readFile(abs))
          .digest('hex');
        out[path] = { type: 'file', ...base, size: stat.size, sha256 };
      } else if (stat.isSymbolicLink()) {
        out[path] = { type: 'symlink', mode: 0, mtime: 0, target: await readlink(abs) };
      } else {
        out[path] = { type: 'other', ...base };
      }
    }
  };
  await visit(root, '');
  return out;
}

const past = (day: number) => new Date(Date.UTC(2024, 0, day, 12, 30, 15));

/**
 * A tree with what a module volume holds: text and binary files (small ones and one streamed in chunks), modes
 * 0o600/0o640/0o755/0o4755, nested and empty directories (one of them 0o700), a relative symlink and a dangling
 * one, a hard link, a zero-byte file, a name longer than ustar's 100 bytes, non-ASCII names, and past mtimes.
 */
export async function writeSampleTree(root: string, variant = 'v1'): Promise<void> {
  const file = async (path: string, content: string | Buffer, mode = 0o644, day = 3): Promise<void> => {
    const abs = join(root, path);
    await mkdir(join(abs, '..'), { recursive: true });
    await writeFile(abs, content);
    await chmod(abs, mode);
    await utimes(abs, past(day), past(day));
  };
  await mkdir(root, { recursive: true });
  await file('README.md', `# module data ${variant}\n`);
  await file('bin/tool', randomBytes(200 * 1024), 0o755, 4);
  await file('bin/setuid-tool', randomBytes(100), 0o4755, 4);
  await file('data/secret.key', randomBytes(1024), 0o600, 5);
  await file('data/big.bin', randomBytes(3 * 1024 * 1024 + 17), 0o640, 6);
  await file('data/log.txt', `line of ${variant}\n`.repeat(50_000), 0o644, 7);
  await file('data/nested/deeper/deepest/leaf.txt', `leaf ${variant}`, 0o644, 8);
  await file('data/zero', '', 0o644, 9);
  await file(`long/${'n'.repeat(150)}/${'f'.repeat(120)}.txt`, 'long names need pax headers', 0o644, 10);
  await file('données/été.txt', 'unicode names', 0o644, 11);
  await link(join(root, 'data/secret.key'), join(root, 'data/secret-hardlink'));
  await mkdir(join(root, 'empty'), { mode: 0o750 });
  await chmod(join(root, 'empty'), 0o750);
  await mkdir(join(root, 'cache/empty-too'), { recursive: true });
  await mkdir(join(root, 'private'), { mode: 0o700 });
  await chmod(join(root, 'private'), 0o700);
  await file('private/token', 'p', 0o600, 12);
  await mkdir(join(root, 'links'));
  await symlink('../README.md', join(root, 'links/to-readme'));
  await symlink('nowhere', join(root, 'links/dangling'));
  // Directory mtimes last: creating entries inside a directory changes its mtime.
  for (const [dir, day] of [
    ['data/nested/deeper/deepest', 13],
    ['data/nested/deeper', 14],
    ['data/nested', 15],
    ['data', 16],
    ['bin', 17],
    ['empty', 18],
    ['cache/empty-too', 19],
    ['cache', 20],
    ['private', 21],
    ['links', 22],
    ['long', 23],
    ['données', 24],
  ] as const) {
    await utimes(join(root, dir), past(day), past(day));
  }
  await utimes(join(root, `long/${'n'.repeat(150)}`), past(25), past(25));
}

/** Live data that differs from the sample tree in every way a restore must handle. */
export async function writeLiveData(root: string): Promise<void> {
  await mkdir(join(root, 'other'), { recursive: true });
  await writeFile(join(root, 'other/stale.txt'), 'only in the live volume');
  await writeFile(join(root, 'README.md'), 'edited since the backup');
  // The archive has a directory where the volume has a file, and a symlink where it has a file.
  await writeFile(join(root, 'empty'), 'a file where the backup has a directory');
  await mkdir(join(root, 'links'), { recursive: true });
  await writeFile(join(root, 'links/to-readme'), 'a file where the backup has a symlink');
}
