// Which backup a restore picks, and which ones retention deletes, against a real S3 listing.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, tempDir } from './harness.ts';
import type { Fixture } from './harness.ts';
import { snapshot, writeSampleTree } from './tree.ts';

let s3: Fixture;
let dir: { path: string; remove(): Promise<void> };

beforeAll(async () => {
  s3 = await startFixture();
  dir = await tempDir('selection');
});

afterAll(async () => {
  await s3?.stop();
  await dir?.remove();
});

async function keysUnder(prefix: string): Promise<string[]> {
  const out = await s3.admin.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
}

describe('restore selection', () => {
  it('restores the newest backup by default and an older one by id', async () => {
    const source = join(dir.path, 'source');
    await writeSampleTree(source, 'first');
    const first = await s3.backup(source, { S3_PREFIX: 'sel/' });
    const firstTree = await snapshot(source);
    await rm(source, { recursive: true });
    await writeSampleTree(source, 'second');
    const second = await s3.backup(source, { S3_PREFIX: 'sel/' });
    const secondTree = await snapshot(source);
    expect(secondTree).not.toEqual(firstTree);

    for (const id of [undefined, 'latest']) {
      const volume = join(dir.path, `latest-${id ?? 'unset'}`);
      await mkdir(volume);
      const result = await s3.restore(volume, { S3_PREFIX: 'sel/', RESTORE_BACKUP_ID: id ?? '' });
      expect(result.backupId).toBe(second.backupId);
      expect(await snapshot(volume)).toEqual(secondTree);
    }

    const volume = join(dir.path, 'named');
    await mkdir(volume);
    const result = await s3.restore(volume, { S3_PREFIX: 'sel/', RESTORE_BACKUP_ID: first.backupId });
    expect(result).toMatchObject({ backupId: first.backupId, key: first.key, verified: true });
    expect(await snapshot(volume)).toEqual(firstTree);
  });

  it('fails clearly when the module has no backups', async () => {
    const volume = join(dir.path, 'none');
    await writeSampleTree(volume);
    const before = await snapshot(volume);
    await expect(s3.restore(volume, { S3_PREFIX: 'empty/' })).rejects.toThrow(
      'no backups found for module "echo" in backups/empty/chat/echo/',
    );
    expect(await snapshot(volume)).toEqual(before);
  });

  it('fails clearly when the named backup does not exist', async () => {
    const id = randomUUID();
    await expect(
      s3.restore(join(dir.path, 'source'), { S3_PREFIX: 'sel/', RESTORE_BACKUP_ID: id }),
    ).rejects.toThrow(`downloading s3://backups/sel/chat/echo/${id}.tar.gz: backup ${id} does not exist`);
  });
});

describe('retention', () => {
  it('keeps the newest RETENTION_KEEP_LAST and touches no key that is not a backup of the module', async () => {
    const volume = join(dir.path, 'retention');
    await writeSampleTree(volume);
    const decoys = [
      'ret/chat/echo/notes.txt',
      `ret/chat/echo/nested/${randomUUID()}.tar.gz`,
      `ret/chat/echo-two/${randomUUID()}.tar.gz`,
      `ret/other/echo/${randomUUID()}.tar.gz`,
    ];
    for (const key of decoys) {
      await s3.admin.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: 'decoy' }));
    }
    const made = [];
    for (let i = 0; i < 3; i += 1) {
      await writeFile(join(volume, 'counter'), String(i));
      made.push(await s3.backup(volume, { S3_PREFIX: 'ret/' }));
    }
    // An age limit alone deletes nothing that is a minute old.
    const young = await s3.backup(volume, { S3_PREFIX: 'ret/', RETENTION_MAX_AGE_DAYS: '1' });
    expect(young.deleted).toEqual([]);
    made.push(young);

    const last = await s3.backup(volume, { S3_PREFIX: 'ret/', RETENTION_KEEP_LAST: '2' });
    // Oldest first; the one just written and the one before it stay.
    expect(last.deleted).toEqual(made.slice(0, 3).map((b) => b.key));
    expect(await keysUnder('ret/')).toEqual([...decoys, made[3]?.key, last.key].sort());
  });
});
