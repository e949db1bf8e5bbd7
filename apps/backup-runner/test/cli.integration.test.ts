// The real program as a Job runs it: `node src/main.ts backup|restore`, configured by the environment, the result
// as the last stdout line and in RESULT_FILE, exit codes 0 / 1 / 2.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startFixture, tempDir } from './harness.ts';
import type { Fixture } from './harness.ts';
import { snapshot, writeSampleTree } from './tree.ts';
import type { BackupResult, FailureResult, RestoreResult } from '../src/result.ts';

let s3: Fixture;
let dir: { path: string; remove(): Promise<void> };
let source: string;

beforeAll(async () => {
  s3 = await startFixture();
  dir = await tempDir('cli');
  source = join(dir.path, 'source');
  await writeSampleTree(source);
});

afterAll(async () => {
  await s3?.stop();
  await dir?.remove();
});

describe('backup-runner CLI', () => {
  it('backs up and restores, printing the result JSON last and writing RESULT_FILE', async () => {
    const resultFile = join(dir.path, 'backup-result.json');
    const backup = await runCli('backup', s3.env({ BACKUP_PVC_PATH: source, RESULT_FILE: resultFile }));
    expect(backup.code, backup.stderr).toBe(0);
    const result = backup.result as BackupResult;
    expect(result).toMatchObject({ ok: true, action: 'backup', deleted: [], warnings: [] });
    expect(Object.keys(result).sort()).toEqual(
      ['action', 'backupId', 'bytes', 'deleted', 'durationMs', 'key', 'ok', 'sha256', 'warnings'].sort(),
    );
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.bytes).toBeGreaterThan(0);
    expect(backup.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(await readFile(resultFile, 'utf8'))).toEqual(result);

    const volume = join(dir.path, 'restored');
    await mkdir(volume);
    const restoreFile = join(dir.path, 'restore-result.json');
    const restore = await runCli(
      'restore',
      s3.env({ BACKUP_PVC_PATH: volume, RESULT_FILE: restoreFile, RESTORE_BACKUP_ID: result.backupId }),
    );
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.result as RestoreResult).toMatchObject({
      ok: true,
      action: 'restore',
      backupId: result.backupId,
      key: result.key,
      bytes: result.bytes,
      sha256: result.sha256,
      verified: true,
      clean: false,
    });
    expect(JSON.parse(await readFile(restoreFile, 'utf8'))).toEqual(restore.result);
    expect(await snapshot(volume)).toEqual(await snapshot(source));
  });

  it('skips RESULT_FILE silently when its directory does not exist', async () => {
    const run = await runCli(
      'backup',
      s3.env({ BACKUP_PVC_PATH: source, RESULT_FILE: join(dir.path, 'missing-dir', 'result.json') }),
    );
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('could not write the result');
  });

  it('accepts S3_SIGNATURE_V2=true, signs with V4 and says so in the result', async () => {
    const run = await runCli('backup', s3.env({ BACKUP_PVC_PATH: source, S3_SIGNATURE_V2: 'true' }));
    expect(run.code, run.stderr).toBe(0);
    expect((run.result as BackupResult).warnings).toEqual([
      'S3_SIGNATURE_V2=true is ignored: requests are signed with Signature V4 (the only one the AWS SDK v3 has)',
    ]);
  });

  it('exits 1 with a clear message when S3 refuses the credentials, never printing the secret', async () => {
    const wrongSecret = 'definitely-not-the-secret-0123456789';
    const resultFile = join(dir.path, 'wrong-credentials.json');
    const run = await runCli(
      'backup',
      s3.env({ BACKUP_PVC_PATH: source, S3_SECRET_KEY: wrongSecret, RESULT_FILE: resultFile }),
    );
    expect(run.code).toBe(1);
    const result = run.result as FailureResult;
    expect(result.ok).toBe(false);
    expect(result.action).toBe('backup');
    expect(result.error).toMatch(
      /^uploading s3:\/\/backups\/eevee\/chat\/echo\/.*: S3 refused the credentials \(SignatureDoesNotMatch\)$/,
    );
    expect(run.stdout + run.stderr).not.toContain(wrongSecret);
    expect(JSON.parse(await readFile(resultFile, 'utf8'))).toEqual(result);

    const unknownKey = await runCli('restore', s3.env({ BACKUP_PVC_PATH: source, S3_ACCESS_ID: 'nobody' }));
    expect(unknownKey.code).toBe(1);
    // AWS says InvalidAccessKeyId; versitygw, the test server, has its own code for it.
    expect((unknownKey.result as FailureResult).error).toMatch(
      /: S3 refused the credentials \((InvalidAccessKeyId|XAdminUserNotFound)\)$/,
    );
  });

  it('exits 1 when there is nothing to restore', async () => {
    const run = await runCli('restore', s3.env({ BACKUP_PVC_PATH: source, S3_PREFIX: 'nothing-here/' }));
    expect(run.code).toBe(1);
    expect((run.result as FailureResult).error).toBe(
      'no backups found for module "echo" in backups/nothing-here/chat/echo/',
    );
  });

  it('exits 2 on invalid configuration, naming the variable and not the secret', async () => {
    const resultFile = join(dir.path, 'config-error.json');
    const env = s3.env({ S3_BUCKET: undefined, RETENTION_KEEP_LAST: 'many', RESULT_FILE: resultFile });
    const run = await runCli('backup', env);
    expect(run.code).toBe(2);
    const result = run.result as FailureResult;
    expect(result).toEqual({
      ok: false,
      action: 'backup',
      error: 'invalid configuration: S3_BUCKET is required; RETENTION_KEEP_LAST must be a whole number >= 1',
    });
    expect(run.stdout + run.stderr).not.toContain(s3.server.secretAccessKey);
    expect(JSON.parse(await readFile(resultFile, 'utf8'))).toEqual(result);

    const usage = await runCli('list', s3.env());
    expect(usage.code).toBe(2);
    expect((usage.result as FailureResult).error).toContain('usage: backup-runner backup|restore');
  });
});
