// SIGTERM (a deleted Job, an evicted pod) mid-run, on the real CLI and the real S3 server: a backup aborts its
// multipart upload and leaves no object, a restore stops before the swap with the live data untouched and no
// staging directory left; both exit 143 with a result that says so.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCATION, runCli, startFixture, tempDir, workDirsIn } from './harness.ts';
import type { Fixture } from './harness.ts';
import { snapshot, writeLiveData } from './tree.ts';
import { Interrupted } from '../src/interruption.ts';

const MIB = 1024 * 1024;

let s3: Fixture;
let dir: { path: string; remove(): Promise<void> };
/** A volume big enough (random, so stored as is) that a run is still going when the test signals it. */
let big: string;

beforeAll(async () => {
  s3 = await startFixture();
  dir = await tempDir('interruption');
  big = join(dir.path, 'big');
  await mkdir(big);
  const out = createWriteStream(join(big, 'blob.bin'));
  for (let i = 0; i < 384; i += 1) if (!out.write(randomBytes(MIB))) await once(out, 'drain');
  out.end();
  await once(out, 'close');
}, 60_000);

afterAll(async () => {
  await s3?.stop();
  await dir?.remove();
});

const prefix = `${LOCATION.prefix}${LOCATION.namespace}/${LOCATION.module}/`;

/** Polls every 20 ms (the run being signalled lasts a second or two): resolves once `ready` says so. */
async function soon(what: string, ready: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(20))
    if (await ready()) return;
  throw new Error(`timed out waiting for ${what}`);
}

async function openUploads(): Promise<number> {
  const listed = await s3.admin.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket }));
  return listed.Uploads?.length ?? 0;
}

async function storedBackups(): Promise<string[]> {
  const listed = await s3.admin.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key ?? '');
}

describe('SIGTERM', () => {
  it('exits 143 (128 + SIGTERM)', () => {
    expect(new Interrupted('SIGTERM').exitCode).toBe(143);
  });

  it('stops a backup mid-upload: the multipart upload is aborted and no backup is left', async () => {
    const before = await storedBackups();
    const run = await runCli('backup', s3.env({ BACKUP_PVC_PATH: big }), async (child) => {
      await soon('the upload to start', async () => (await openUploads()) > 0);
      child.kill('SIGTERM');
    });
    expect(run.code).toBe(143);
    expect(run.result).toMatchObject({ ok: false, action: 'backup' });
    expect(run.result.ok ? '' : run.result.error).toMatch(/^interrupted by SIGTERM/);
    expect(await openUploads()).toBe(0);
    expect(await storedBackups()).toEqual(before);
  });

  it('stops a restore before the swap: the live data is untouched and no staging directory is left', async () => {
    const { backupId } = await s3.backup(big);
    const volume = join(dir.path, 'live');
    await writeLiveData(volume);
    const live = await snapshot(volume);
    const run = await runCli(
      'restore',
      s3.env({ BACKUP_PVC_PATH: volume, RESTORE_BACKUP_ID: backupId, RESTORE_CLEAN: 'true' }),
      async (child) => {
        await soon('the staging directory', async () => (await workDirsIn(volume)).length > 0);
        child.kill('SIGTERM');
      },
    );
    expect(run.code).toBe(143);
    expect(run.result.ok ? '' : run.result.error).toMatch(/^interrupted by SIGTERM/);
    expect(await snapshot(volume)).toEqual(live);
    expect(await workDirsIn(volume)).toEqual([]);
  });
});
