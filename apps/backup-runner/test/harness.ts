// An S3 server (testenv's versitygw) with a bucket, the runner's environment for it, and ways to run the runner:
// in process (runBackup/runRestore with the client main.ts would build) or as the real CLI in a child process.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3 } from '@eevee/testenv';
import type { S3Server } from '@eevee/testenv';
import { runBackup } from '../src/backup.ts';
import type { BackupTuning } from '../src/backup.ts';
import { parseConfig } from '../src/config.ts';
import { backupKey } from '@eevee/backups';
import type { ModuleLocation } from '@eevee/backups';
import type { BackupResult, RestoreResult, RunResult } from '../src/result.ts';
import { runRestore } from '../src/restore.ts';
import { createS3Client } from '../src/s3-client.ts';

export const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');
export const LOCATION: ModuleLocation = { prefix: 'eevee/', namespace: 'chat', module: 'echo' };

export interface Fixture {
  server: S3Server;
  bucket: string;
  /** An admin client (path-style) for setting up and inspecting the bucket. */
  admin: S3Client;
  env(extra?: Record<string, string | undefined>): Record<string, string>;
  backup(volume: string, extra?: Record<string, string>, tuning?: BackupTuning): Promise<BackupResult>;
  restore(volume: string, extra?: Record<string, string>): Promise<RestoreResult>;
  /** Stores `body` as a backup of LOCATION with id `id` (and optional metadata), bypassing the runner. */
  putBackup(id: string, body: Buffer, metadata?: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

export async function startFixture(bucket = 'backups'): Promise<Fixture> {
  const server = await startS3();
  const admin = new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  const env = (extra: Record<string, string | undefined> = {}): Record<string, string> => {
    const all: Record<string, string | undefined> = {
      S3_ENDPOINT: server.endpoint,
      S3_BUCKET: bucket,
      S3_PREFIX: LOCATION.prefix,
      S3_PATH_STYLE: 'true',
      S3_ACCESS_ID: server.accessKeyId,
      S3_SECRET_KEY: server.secretAccessKey,
      S3_REGION: server.region,
      BACKUP_NAMESPACE: LOCATION.namespace,
      BACKUP_MODULE: LOCATION.module,
      RESTORE_NAMESPACE: LOCATION.namespace,
      RESTORE_MODULE: LOCATION.module,
      ...extra,
    };
    return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
  };
  return {
    server,
    bucket,
    admin,
    env,
    async backup(volume, extra = {}, tuning = {}) {
      const config = parseConfig('backup', env({ BACKUP_PVC_PATH: volume, ...extra }));
      if (config.action !== 'backup') throw new Error('unreachable');
      const client = createS3Client(config.s3);
      try {
        return await runBackup(config, client, tuning);
      } finally {
        client.destroy();
      }
    },
    async restore(volume, extra = {}) {
      const config = parseConfig('restore', env({ BACKUP_PVC_PATH: volume, ...extra }));
      if (config.action !== 'restore') throw new Error('unreachable');
      const client = createS3Client(config.s3);
      try {
        return await runRestore(config, client);
      } finally {
        client.destroy();
      }
    },
    async putBackup(id, body, metadata) {
      const key = backupKey(LOCATION, id);
      await admin.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Metadata: metadata }));
      return key;
    },
    async stop() {
      admin.destroy();
      await server.stop();
    },
  };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The last stdout line, parsed. */
  result: RunResult;
}

/**
 * Runs `node src/main.ts <action>` with exactly `env` (plus PATH), like a Job would. `during` is called with the
 * running child (e.g. to signal it) and awaited before the run's result is.
 */
export async function runCli(
  action: string,
  env: Record<string, string>,
  during?: (child: ChildProcess) => Promise<void>,
): Promise<CliRun> {
  const child = spawn(process.execPath, [MAIN, action], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run = collectRun(child);
  await during?.(child);
  return run;
}

function collectRun(child: ChildProcess): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trimEnd().split('\n').at(-1) ?? '';
      try {
        resolve({ code, stdout, stderr, result: JSON.parse(last) as RunResult });
      } catch {
        reject(new Error(`no JSON result line (exit ${code}):\n${stdout}\n${stderr}`));
      }
    });
  });
}

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `backup-runner-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Names of restore work dirs (staging, trash) directly in `volume`. */
export async function workDirsIn(volume: string): Promise<string[]> {
  return (await readdir(volume)).filter((n) => n.startsWith('.eevee-'));
}
