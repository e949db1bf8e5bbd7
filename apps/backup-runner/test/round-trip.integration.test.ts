// Backup and restore of a realistic tree against a real S3 server: byte-for-byte equal contents, modes, symlink
// targets, hard links, directory set and mtimes, with both restore semantics, and archive compatibility with
// GNU tar in both directions.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { list } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, tempDir, workDirsIn } from './harness.ts';
import type { Fixture } from './harness.ts';
import { snapshot, writeLiveData, writeSampleTree } from './tree.ts';

let s3: Fixture;
let dir: { path: string; remove(): Promise<void> };
let source: string;
let original: Awaited<ReturnType<typeof snapshot>>;

beforeAll(async () => {
  s3 = await startFixture();
  dir = await tempDir('round-trip');
  source = join(dir.path, 'source');
  await writeSampleTree(source);
  original = await snapshot(source);
});

afterAll(async () => {
  await s3?.stop();
  await dir?.remove();
});

async function download(key: string): Promise<Buffer> {
  const out = await s3.admin.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

describe('backup', () => {
  it('uploads a gzip archive with its checksum and size as metadata', async () => {
    const result = await s3.backup(source);
    expect(result).toMatchObject({ ok: true, action: 'backup', deleted: [], warnings: [] });
    expect(result.key).toBe(`eevee/chat/echo/${result.backupId}.tar.gz`);
    const head = await s3.admin.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: result.key }));
    expect(head.ContentType).toBe('application/gzip');
    expect(head.ContentLength).toBe(result.bytes);
    expect(head.Metadata).toEqual({ 'eevee-sha256': result.sha256, 'eevee-size': String(result.bytes) });
    const body = await download(result.key);
    expect(body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(body).digest('hex')).toBe(result.sha256);
  });

  it('writes an archive GNU tar extracts to the same tree', async () => {
    const result = await s3.backup(source);
    const archive = join(dir.path, 'ours.tar.gz');
    await writeFile(archive, await download(result.key));
    const out = join(dir.path, 'gnu-extracted');
    await mkdir(out);
    execFileSync('tar', ['-xzf', archive, '-C', out]);
    expect(await snapshot(out)).toEqual(original);
    const [a, b] = await Promise.all([
      stat(join(out, 'data/secret.key')),
      stat(join(out, 'data/secret-hardlink')),
    ]);
    expect(a.ino).toBe(b.ino);
    // Entries are relative to the volume, like `tar -czf - -C <volume> .`.
    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).split('\n');
    expect(listing[0]).toBe('./');
    expect(listing).toContain('./data/nested/deeper/deepest/leaf.txt');
  });

  it('leaves restore work directories out of the archive', async () => {
    const volume = join(dir.path, 'with-work-dirs');
    await mkdir(join(volume, '.eevee-restore-0f8fad5b-d9cb-469f-a165-70867728950e'), { recursive: true });
    await mkdir(join(volume, '.eevee-trash-x'), { recursive: true });
    await writeFile(join(volume, '.eevee-trash-x/old'), 'old');
    await writeFile(join(volume, '.eevee-restore-0f8fad5b-d9cb-469f-a165-70867728950e/half'), 'half');
    await writeFile(join(volume, '.eevee-kept'), 'not a work dir');
    const result = await s3.backup(volume);
    const archive = join(dir.path, 'work-dirs.tar.gz');
    await writeFile(archive, await download(result.key));
    const entries: string[] = [];
    await list({ file: archive, onReadEntry: (e) => entries.push(e.path) });
    expect(entries.sort()).toEqual(['./', './.eevee-kept']);
  });
});

describe('restore', () => {
  it('RESTORE_CLEAN=true makes the volume exactly the backup', async () => {
    const { backupId, sha256 } = await s3.backup(source);
    const volume = join(dir.path, 'clean');
    await writeLiveData(volume);
    const result = await s3.restore(volume, { RESTORE_BACKUP_ID: backupId, RESTORE_CLEAN: 'true' });
    expect(result).toMatchObject({
      ok: true,
      action: 'restore',
      backupId,
      sha256,
      verified: true,
      clean: true,
    });
    expect(await snapshot(volume)).toEqual(original);
    const [a, b] = await Promise.all([
      stat(join(volume, 'data/secret.key')),
      stat(join(volume, 'data/secret-hardlink')),
    ]);
    expect(a.ino).toBe(b.ino);
    expect(await workDirsIn(volume)).toEqual([]);
  });

  it('RESTORE_CLEAN=false merges over the live data like tar -xzf: replaces, merges, keeps extra entries', async () => {
    const { backupId } = await s3.backup(source);
    const volume = join(dir.path, 'merge');
    await writeLiveData(volume);
    const result = await s3.restore(volume, { RESTORE_BACKUP_ID: backupId });
    expect(result).toMatchObject({ ok: true, verified: true, clean: false });
    const restored = await snapshot(volume);
    const { other, 'other/stale.txt': stale, ...fromBackup } = restored;
    expect(fromBackup).toEqual(original);
    expect(other?.type).toBe('dir');
    expect(stale?.type).toBe('file');
    expect(await readFile(join(volume, 'other/stale.txt'), 'utf8')).toBe('only in the live volume');
    expect(await workDirsIn(volume)).toEqual([]);
  });

  it('restores an archive made by the upstream image (tar -czf - -C dir ., no metadata)', async () => {
    const archive = join(dir.path, 'upstream.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', source, '.']);
    const id = randomUUID();
    await s3.putBackup(id, await readFile(archive));
    const volume = join(dir.path, 'from-upstream');
    await writeLiveData(volume);
    const result = await s3.restore(volume, { RESTORE_BACKUP_ID: id, RESTORE_CLEAN: 'true' });
    expect(result).toMatchObject({ ok: true, backupId: id, verified: false });
    expect(result.warnings).toContain(
      'no checksum recorded (archive from the upstream image): relied on gzip and tar integrity',
    );
    expect(await snapshot(volume)).toEqual(original);
  });

  it('removes work directories an interrupted restore left behind', async () => {
    const { backupId } = await s3.backup(source);
    const volume = join(dir.path, 'interrupted');
    await mkdir(join(volume, '.eevee-restore-old/half'), { recursive: true });
    await mkdir(join(volume, '.eevee-trash-old'), { recursive: true });
    const result = await s3.restore(volume, { RESTORE_BACKUP_ID: backupId, RESTORE_CLEAN: 'true' });
    expect(result.warnings.sort()).toEqual([
      'removed .eevee-restore-old left by an interrupted restore',
      'removed .eevee-trash-old left by an interrupted restore',
    ]);
    expect(await workDirsIn(volume)).toEqual([]);
    expect(await snapshot(volume)).toEqual(original);
  });
});
