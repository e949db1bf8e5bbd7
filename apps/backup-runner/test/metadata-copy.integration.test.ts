// Archives over 5 GiB get their checksum metadata through a multipart server-side copy (UploadPartCopy). The
// threshold is lowered here so a small archive takes that path against the real server.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIB } from '../src/copy-parts.ts';
import { startFixture, tempDir } from './harness.ts';
import type { Fixture } from './harness.ts';
import { snapshot } from './tree.ts';

let s3: Fixture;
let dir: { path: string; remove(): Promise<void> };

beforeAll(async () => {
  s3 = await startFixture();
  dir = await tempDir('metadata-copy');
});

afterAll(async () => {
  await s3?.stop();
  await dir?.remove();
});

describe('multipart metadata copy', () => {
  it('records the checksum on an archive copied in parts, and the restore verifies it', async () => {
    const source = join(dir.path, 'source');
    await mkdir(source);
    // Random bytes are stored, not compressed: a ~12 MiB archive, three 5 MiB copy parts.
    await writeFile(join(source, 'a.bin'), randomBytes(7 * MIB));
    await writeFile(join(source, 'b.bin'), randomBytes(5 * MIB));
    const result = await s3.backup(source, {}, { singleCopyLimit: 1, copyPartBytes: 5 * MIB });
    expect(result.bytes).toBeGreaterThan(12 * MIB);

    const head = await s3.admin.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: result.key }));
    expect(head.ContentLength).toBe(result.bytes);
    expect(head.ContentType).toBe('application/gzip');
    expect(head.Metadata).toEqual({ 'eevee-sha256': result.sha256, 'eevee-size': String(result.bytes) });
    // A multipart object's ETag is "<md5 of part md5s>-<parts>".
    expect(head.ETag).toMatch(/-3"$/);

    const volume = join(dir.path, 'restored');
    await mkdir(volume);
    const restored = await s3.restore(volume, { RESTORE_BACKUP_ID: result.backupId });
    expect(restored).toMatchObject({ verified: true, sha256: result.sha256 });
    expect(await snapshot(volume)).toEqual(await snapshot(source));
  });
});
