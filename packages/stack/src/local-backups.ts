// A local S3 server for the sample bot's backups, and a first backup of the modules the sample restores
// (`seen` bootstraps from its newest backup, `tell-restore-001` restores `tell`'s), made by the real
// backup-runner program from a small data directory, so the whole bot can become Ready.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { s3Client } from '@eevee/backups';
import { startS3 } from '@eevee/testenv';
import type { LocalStore } from './sample-bot.ts';

const RUNNER = join(import.meta.dirname, '..', '..', '..', 'apps', 'backup-runner', 'src', 'main.ts');

export async function startLocalStore(bucket = 'samplebot-backups'): Promise<LocalStore> {
  const s3 = await startS3({ ownerPid: process.pid });
  const client = s3Client(
    { endpoint: s3.endpoint, region: s3.region, pathStyle: true },
    { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  );
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return { s3, bucket };
}

/** Runs `backup-runner backup` for each module on a directory holding a small SQLite-like file. */
export async function seedBackups(
  store: LocalStore,
  location: { prefix: string; namespace: string },
  modules: string[],
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'eevee-seed-'));
  try {
    const data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'data.db'), 'seeded by ./dev start\n');
    for (const module of modules) {
      await promisify(execFile)(process.execPath, [RUNNER, 'backup'], {
        env: {
          ...process.env,
          S3_ENDPOINT: store.s3.endpoint,
          S3_BUCKET: store.bucket,
          S3_PREFIX: location.prefix,
          S3_REGION: store.s3.region,
          S3_PATH_STYLE: 'true',
          S3_ACCESS_ID: store.s3.accessKeyId,
          S3_SECRET_KEY: store.s3.secretAccessKey,
          BACKUP_NAMESPACE: location.namespace,
          BACKUP_MODULE: module,
          BACKUP_PVC_PATH: data,
          RESULT_FILE: join(dir, `${module}.result`),
        },
      });
    }
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`seeding the sample's backups: ${e.stderr || e.message}`, { cause: err });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
