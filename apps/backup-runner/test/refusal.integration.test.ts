// Archives a restore must refuse: damaged, truncated, tampered with, or trying to write outside the volume.
// Each must fail with a clear message, leave the live data exactly as it was, and leave no staging directory.
import { randomBytes, randomUUID } from 'node:crypto';
import { access, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, tempDir, workDirsIn } from './harness.ts';
import type { Fixture } from './harness.ts';
import { snapshot, writeSampleTree } from './tree.ts';
import { GetObjectCommand } from '@aws-sdk/client-s3';

let s3: Fixture;
let dir: { path: string; remove(): Promise<void> };
let volume: string;
let live: Awaited<ReturnType<typeof snapshot>>;

beforeAll(async () => {
  s3 = await startFixture();
  dir = await tempDir('refusal');
  volume = join(dir.path, 'volume');
  await writeSampleTree(volume, 'live');
  live = await snapshot(volume);
});

afterAll(async () => {
  await s3?.stop();
  await dir?.remove();
});

interface RawEntry {
  path: string;
  type: 'File' | 'Directory' | 'SymbolicLink' | 'Link';
  body?: string;
  linkpath?: string;
}

/** A tar+gzip written header by header, so it can contain what no well-behaved tool would produce. */
function handMadeArchive(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? '');
    const header = new Header({
      path: entry.path,
      type: entry.type,
      linkpath: entry.linkpath,
      size: body.length,
      mode: entry.type === 'Directory' ? 0o755 : 0o644,
      mtime: new Date(),
      uid: 0,
      gid: 0,
    });
    header.encode();
    blocks.push(header.block!, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function expectRefused(id: string, message: RegExp | string, clean = true): Promise<void> {
  await expect(s3.restore(volume, { RESTORE_BACKUP_ID: id, RESTORE_CLEAN: String(clean) })).rejects.toThrow(
    message,
  );
  expect(await snapshot(volume)).toEqual(live);
  expect(await workDirsIn(volume)).toEqual([]);
}

describe('a damaged archive', () => {
  it('of garbage bytes is refused', async () => {
    const id = randomUUID();
    await s3.putBackup(id, randomBytes(64 * 1024));
    await expectRefused(id, /the archive is damaged or unsafe/);
  });

  it('truncated mid-stream is refused, in both restore modes', async () => {
    const source = join(dir.path, 'source');
    await writeSampleTree(source);
    const good = await s3.backup(source);
    const out = await s3.admin.send(new GetObjectCommand({ Bucket: s3.bucket, Key: good.key }));
    const bytes = Buffer.from(await out.Body!.transformToByteArray());
    const id = randomUUID();
    // Recorded checksum of the whole archive, as if the upload had been cut short.
    await s3.putBackup(id, bytes.subarray(0, Math.floor(bytes.length / 2)), { 'eevee-sha256': good.sha256 });
    await expectRefused(id, /the archive is damaged or unsafe: .*(unexpected end|Truncated)/i, true);
    await expectRefused(id, /the archive is damaged or unsafe/, false);
  });

  it('whose checksum does not match the recorded one is refused before anything is swapped in', async () => {
    const id = randomUUID();
    const archive = handMadeArchive([{ path: './README.md', type: 'File', body: 'tampered' }]);
    await s3.putBackup(id, archive, { 'eevee-sha256': 'f'.repeat(64), 'eevee-size': String(archive.length) });
    await expectRefused(id, `checksum mismatch`, true);
    await expectRefused(id, `checksum mismatch`, false);
  });

  it('whose size does not match the recorded one is refused', async () => {
    const id = randomUUID();
    const archive = handMadeArchive([{ path: './README.md', type: 'File', body: 'short' }]);
    await s3.putBackup(id, archive, { 'eevee-size': String(archive.length + 1) });
    await expectRefused(id, 'does not match the recorded');
  });
});

describe('an archive escaping the volume', () => {
  const outside = () => dirname(volume);

  it('with a ../ entry is refused and nothing lands outside', async () => {
    const id = randomUUID();
    await s3.putBackup(
      id,
      handMadeArchive([
        { path: './ok.txt', type: 'File', body: 'fine' },
        { path: '../evil', type: 'File', body: 'owned' },
        { path: './sub/../../evil2', type: 'File', body: 'owned' },
      ]),
    );
    await expectRefused(id, /contains '\.\.'.*evil/);
    expect(await exists(join(outside(), 'evil'))).toBe(false);
    expect(await exists(join(outside(), 'evil2'))).toBe(false);
    expect(await readdir(outside())).not.toContain('ok.txt');
  });

  it('with an absolute path is refused', async () => {
    const target = join(outside(), `abs-${randomUUID()}`);
    const id = randomUUID();
    await s3.putBackup(id, handMadeArchive([{ path: target, type: 'File', body: 'owned' }]));
    await expectRefused(id, /absolute path/);
    expect(await exists(target)).toBe(false);
  });

  it('with a symlink pointing out, then a file written through it, is refused', async () => {
    const id = randomUUID();
    await s3.putBackup(
      id,
      handMadeArchive([
        { path: './escape', type: 'SymbolicLink', linkpath: '../..' },
        { path: './escape/evil3', type: 'File', body: 'owned' },
      ]),
    );
    await expectRefused(id, /escapes extraction directory/);
    expect(await exists(join(outside(), '..', 'evil3'))).toBe(false);
  });

  it('with a hard link to a file outside is refused', async () => {
    const id = randomUUID();
    await s3.putBackup(
      id,
      handMadeArchive([{ path: './passwd', type: 'Link', linkpath: '../../../etc/passwd' }]),
    );
    await expectRefused(id, /contains '\.\.'/);
  });
});

describe('a volume with a symlink to an absolute path', () => {
  it('is backed up with a warning, and its restore is refused rather than rewriting the link', async () => {
    const source = join(dir.path, 'absolute-link');
    await mkdir(source);
    await writeFile(join(source, 'config'), 'x');
    await symlink('/etc/hostname', join(source, 'hostname'));
    const backup = await s3.backup(source);
    expect(backup.warnings).toEqual([
      "./hostname: symlink to /etc/hostname points outside the volume; this runner's restore refuses such archives",
    ]);
    await expectRefused(backup.backupId, /absolute linkpath/);
  });
});
